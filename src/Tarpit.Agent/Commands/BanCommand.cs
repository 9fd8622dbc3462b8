using System.CommandLine;
using System.Net;
using Serilog;
using Serilog.Events;
using Tarpit.Agent.Hosting;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Net;
using Tarpit.Text;

namespace Tarpit.Agent.Commands;

/// <summary>
/// <c>tarpit-agent ban [OPTIONS] [--] ADDR[/PREFIX]... [--for DURATION|-1|permanent] [--reason TEXT] [--source NAME]</c>:
/// redirect now, through nft and the store directly (the daemon need not run; it logs the ban when it sees it in the
/// store). All targets are checked before anything changes, and all of them go to nft in one batch. A target banned
/// already is refreshed (the longer end wins), never escalated. Exits <see cref="ExitCodes.Refused"/> when a target is
/// allowlisted, unless <c>--ok-if-allowlisted</c> (fail2ban's action) makes that a printed refusal and exit 0.
/// </summary>
internal static class BanCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        var targets = new Argument<string[]>("target")
        {
            Description = "An address or network: 192.0.2.7, 192.0.2.0/24, 2001:db8::/48 (several at once are one batch); put -- before them when one may start with '-'",
            Arity = ArgumentArity.OneOrMore,
        };
        var length = new Option<string?>("--for") { Description = "How long: " + BanLength.Allowed + ". Default: ban_time, escalated per previous ban" };
        var reason = new Option<string?>("--reason") { Description = "Why, for the record" };
        var source = new Option<string?>("--source") { Description = "Who asks: manual (default), fail2ban, a jail name" };
        var restored = new Option<string?>("--restored")
        {
            Description = "0 or 1 (fail2ban's <restored>): 1 re-reports a ban fail2ban restored after its restart, a refresh and never a new incident",
        };
        var allowlistedOk = new Option<bool>("--ok-if-allowlisted")
        {
            Description = "An allowlisted target is refused all the same, but the refusal is printed and the exit code is 0 (for fail2ban's action)",
        };
        var command = new Command("ban", "Redirect addresses into the tarpits now (works whether or not the agent runs).")
        {
            targets, length, reason, source, restored, allowlistedOk, config,
        };
        CliBoundary.SetAction(command, (parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(config) ?? AgentCli.DefaultConfigPath,
            parseResult.GetValue(targets) ?? [],
            parseResult.GetValue(length),
            parseResult.GetValue(reason),
            parseResult.GetValue(source),
            parseResult.InvocationConfiguration.Output,
            new Flags(ParseRestored(parseResult.GetValue(restored)), parseResult.GetValue(allowlistedOk)),
            cancellationToken));
        return command;
    }

    /// <summary>The options that change what a ban means or returns: <c>--restored</c>, <c>--ok-if-allowlisted</c>.</summary>
    internal sealed record Flags(bool Restored = false, bool AllowlistedOk = false);

    public static Task<int> RunAsync(string configPath, string[] targetTexts, string? length, string? reason, string? source, TextWriter output, CancellationToken cancellationToken) =>
        RunAsync(configPath, targetTexts, length, reason, source, output, new Flags(), cancellationToken);

    public static async Task<int> RunAsync(
        string configPath, string[] targetTexts, string? length, string? reason, string? source, TextWriter output, Flags flags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(output);
        var targets = ParseTargets(targetTexts);
        if (!BanLength.TryParse(length, out var duration, out var permanent, out var lengthError))
        {
            throw new OperatorException(lengthError, ExitCodes.Usage);
        }

        source ??= BanSource.Manual;
        if (!BanSource.IsValid(source))
        {
            throw new OperatorException(
                $"--source '{Text.AttackerText.Escape(source, 64)}' is not a source name: 1 to {BanSource.MaxLength} of letters, digits, '-', '_', '.', ':'",
                ExitCodes.Usage);
        }

        var loaded = ConfigLoader.Load(configPath);
        using var log = CliLog();
        using var session = AdminSession.Open(loaded, log, TimeProvider.System);
        var refused = targets.Select(t => (Target: t, Allow: session.AllowedBy(t))).Where(r => r.Allow is not null).ToList();
        if (refused.Count > 0)
        {
            var list = string.Join(", ", refused.Select(r => $"{NetworkText.Format(r.Target)} (allowlisted by {r.Allow})"));
            return await RefuseAsync(
                $"refused: {list} is in firewall.allow of {configPath}; nothing was changed. Remove it from the allowlist first if you really mean it.", flags, output);
        }

        var geoRefused = targets.Select(t => (Target: t, Reason: session.GeoAllowReason(t))).Where(r => r.Reason is not null).ToList();
        if (geoRefused.Count > 0)
        {
            var list = string.Join("; ", geoRefused.Select(r => $"{NetworkText.Format(r.Target)}: {r.Reason}"));
            return await RefuseAsync(
                $"refused: {list} (in [geoip] of {configPath}); nothing was changed. Remove the AS or country from geoip.allow_asns / allow_countries first if you really mean it.",
                flags,
                output);
        }

        session.CheckFirewall();
        var outcomes = new List<BanOutcome>(targets.Count);
        foreach (var target in targets)
        {
            outcomes.Add(await session.BanAsync(new BanRequest(target, source, reason ?? "banned by hand", duration, permanent, flags.Restored), cancellationToken));
        }

        try
        {
            await session.FlushAsync(cancellationToken);
        }
        catch (FirewallException ex)
        {
            throw new OperatorException($"the bans are stored, but nft failed: {ex.Message} The agent applies them when it (re)starts or reconciles.", ex, ExitCodes.Failure);
        }

        foreach (var outcome in outcomes.Take(MaxPrintedOutcomes))
        {
            await output.WriteLineAsync(session.Observing ? "would have " + outcome.Message + " (firewall.enabled = false)" : outcome.Message);
            foreach (var note in outcome.Notes)
            {
                await output.WriteLineAsync("  " + note);
            }
        }

        if (outcomes.Count > MaxPrintedOutcomes)
        {
            await output.WriteLineAsync($"… and {outcomes.Count - MaxPrintedOutcomes} more ({outcomes.Count} targets in one batch)");
        }

        return ExitCodes.Ok;
    }

    /// <summary>Longest part of a hostile target shown back in an error (fail2ban passes what a log line said).</summary>
    private const int MaxShownTarget = 64;

    /// <summary>Errors quote (and escape) the target given and write the fix as one would type it on the command line.</summary>
    internal static NetworkTextStyle TargetStyle { get; } = new(text => $"'{AttackerText.Escape(text, MaxShownTarget)}'", text => text);

    /// <summary>Beyond this many targets the verb prints a count instead of a line each.</summary>
    internal const int MaxPrintedOutcomes = 20;

    /// <summary>
    /// A refused ban: an operator error (exit <see cref="ExitCodes.Refused"/>), or with <c>--ok-if-allowlisted</c> the
    /// same sentence on stdout and exit 0, so fail2ban (which logs a failing action as ERROR twice and keeps the ticket
    /// as banned all the same) logs no error for an address the admin allowlisted on purpose.
    /// </summary>
    private static async Task<int> RefuseAsync(string sentence, Flags flags, TextWriter output)
    {
        if (!flags.AllowlistedOk)
        {
            throw new OperatorException(sentence, ExitCodes.Refused);
        }

        await output.WriteLineAsync(sentence);
        return ExitCodes.Ok;
    }

    /// <summary><c>--restored 0|1</c> (also true/false); absent is 0.</summary>
    internal static bool ParseRestored(string? text) => text switch
    {
        null or "0" or "false" => false,
        "1" or "true" => true,
        _ => throw new OperatorException($"--restored '{AttackerText.Escape(text, 16)}' is not 0 or 1 (fail2ban's <restored>)", ExitCodes.Usage),
    };

    /// <summary>Every target parsed strictly; the first bad one stops the verb before anything changes.</summary>
    internal static List<IPNetwork> ParseTargets(IReadOnlyList<string> texts)
    {
        if (texts.Count > FirewallBatcher.Capacity)
        {
            throw new OperatorException($"{texts.Count} targets at once is more than {FirewallBatcher.Capacity}; split them.", ExitCodes.Usage);
        }

        var targets = new List<IPNetwork>(texts.Count);
        foreach (var text in texts)
        {
            if (!NetworkText.TryParse(text, TargetStyle, out var target, out var error))
            {
                throw new OperatorException(error + " (nothing was changed)", ExitCodes.Usage);
            }

            targets.Add(target);
        }

        return targets;
    }

    /// <summary>Verbs log warnings and errors to stderr (a console sink built on the first one); their results go to stdout.</summary>
    internal static Serilog.Core.Logger CliLog() => new LoggerConfiguration()
        .MinimumLevel.Warning()
        .WriteTo.Sink(new LazySink(() => new LoggerConfiguration()
            .MinimumLevel.Warning()
            .WriteTo.Console(outputTemplate: "{Level:u3} {Message:lj}{NewLine}", standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger()))
        .CreateLogger();
}
