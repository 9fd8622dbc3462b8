using System.CommandLine;
using System.Net;
using Tarpit.Agent.Hosting;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Firewall;

namespace Tarpit.Agent.Commands;

/// <summary>
/// <c>tarpit-agent unban [--] ADDR[/PREFIX]...</c>, <c>unban --source NAME</c>, <c>unban --all --yes</c>: stop
/// redirecting now; the bans stay in the history. Every removal goes to nft in one batch. An unban of a ban that has
/// run out already succeeds (fail2ban's own timer fires just then); a target never banned exits
/// <see cref="ExitCodes.Failure"/>, after the others were unbanned.
/// </summary>
internal static class UnbanCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        var targets = new Argument<string[]>("target")
        {
            Description = "The addresses or networks as they were banned (several at once are one batch); put -- before them when one may start with '-'",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var source = new Option<string?>("--source") { Description = "Unban every ban in force from this source (fail2ban, manual, a watch name)" };
        var all = new Option<bool>("--all") { Description = "Unban every ban in force (needs --yes)" };
        var yes = new Option<bool>("--yes") { Description = "Confirm --all" };
        var command = new Command(
            "unban",
            "Stop redirecting addresses now (their history is kept). A ban that already ran out is not an error; exits 1 when a target was never banned.")
        {
            targets, source, all, yes, config,
        };
        CliBoundary.SetAction(command, (parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(config) ?? AgentCli.DefaultConfigPath,
            new Selection(parseResult.GetValue(targets) ?? [], parseResult.GetValue(source), parseResult.GetValue(all), parseResult.GetValue(yes)),
            parseResult.InvocationConfiguration.Output,
            cancellationToken));
        return command;
    }

    /// <summary>What to unban: targets, or every ban of a source, or everything (confirmed).</summary>
    internal sealed record Selection(IReadOnlyList<string> Targets, string? Source = null, bool All = false, bool Yes = false);

    public static Task<int> RunAsync(string configPath, string targetText, TextWriter output, CancellationToken cancellationToken) =>
        RunAsync(configPath, new Selection([targetText]), output, cancellationToken);

    public static async Task<int> RunAsync(string configPath, Selection selection, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(output);
        var given = Check(selection);
        var loaded = ConfigLoader.Load(configPath);
        using var log = BanCommand.CliLog();
        using var session = AdminSession.Open(loaded, log, TimeProvider.System);
        session.CheckFirewall();
        var targets = given ?? session.ActiveTargets(selection.Source, DateTimeOffset.UtcNow);
        var outcomes = new List<UnbanOutcome>(targets.Count);
        var queued = 0;
        foreach (var target in targets)
        {
            outcomes.Add(await session.UnbanAsync(target, cancellationToken));
            // The batcher's queue is bounded: a very long --all goes out in a few large batches, never one per target.
            if (++queued >= FirewallBatcher.Capacity / 2)
            {
                await FlushAsync(session, cancellationToken);
                queued = 0;
            }
        }

        await FlushAsync(session, cancellationToken);
        await PrintAsync(output, outcomes, given is null ? SelectionText(selection) : null);
        return outcomes.All(o => o.Succeeded) ? ExitCodes.Ok : ExitCodes.Failure;
    }

    /// <summary>The targets given (parsed strictly), or null for <c>--source</c> / <c>--all</c>; a bad combination is a usage error.</summary>
    private static List<IPNetwork>? Check(Selection selection)
    {
        var modes = (selection.Targets.Count > 0 ? 1 : 0) + (selection.Source is not null ? 1 : 0) + (selection.All ? 1 : 0);
        if (modes != 1)
        {
            throw new OperatorException("unban takes targets, or --source NAME, or --all --yes: exactly one of them. Nothing was changed.", ExitCodes.Usage);
        }

        if (selection.All && !selection.Yes)
        {
            throw new OperatorException("unban --all lifts every ban in force: add --yes to confirm. Nothing was changed.", ExitCodes.Usage);
        }

        if (selection.Source is { } source && !BanSource.IsValid(source))
        {
            throw new OperatorException(
                $"--source '{Text.AttackerText.Escape(source, 64)}' is not a source name: 1 to {BanSource.MaxLength} of letters, digits, '-', '_', '.', ':'. Nothing was changed.",
                ExitCodes.Usage);
        }

        return selection.Targets.Count > 0 ? BanCommand.ParseTargets(selection.Targets) : null;
    }

    private static async Task FlushAsync(AdminSession session, CancellationToken cancellationToken)
    {
        try
        {
            await session.FlushAsync(cancellationToken);
        }
        catch (FirewallException ex)
        {
            throw new OperatorException($"the unban is stored, but nft failed: {ex.Message}", ex, ExitCodes.Failure);
        }
    }

    private static string SelectionText(Selection selection) =>
        selection.Source is { } source ? $"bans from source {source}" : "bans in force";

    private static async Task PrintAsync(TextWriter output, List<UnbanOutcome> outcomes, string? selected)
    {
        if (selected is not null && outcomes.Count == 0)
        {
            await output.WriteLineAsync($"no {selected}: nothing to unban");
            return;
        }

        foreach (var outcome in outcomes.Take(BanCommand.MaxPrintedOutcomes))
        {
            await output.WriteLineAsync(outcome.Message);
            foreach (var note in outcome.Notes)
            {
                await output.WriteLineAsync("  " + note);
            }
        }

        if (outcomes.Count > BanCommand.MaxPrintedOutcomes)
        {
            var lifted = outcomes.Count(o => o.Result is UnbanResult.Unbanned);
            await output.WriteLineAsync($"… and {outcomes.Count - BanCommand.MaxPrintedOutcomes} more ({lifted} of {outcomes.Count} unbanned, in one nft batch)");
        }
    }
}
