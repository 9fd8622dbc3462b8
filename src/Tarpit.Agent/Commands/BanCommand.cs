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
/// <c>tarpit-agent ban ADDR[/PREFIX]... [--for DURATION|-1|permanent] [--reason TEXT] [--source NAME]</c>: redirect
/// now, through nft and the store directly (the daemon need not run). All targets are checked before anything
/// changes, and all of them go to nft in one batch. Exits <see cref="ExitCodes.Refused"/> when a target is allowlisted.
/// </summary>
internal static class BanCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        var targets = new Argument<string[]>("target")
        {
            Description = "An address or network: 192.0.2.7, 192.0.2.0/24, 2001:db8::/48 (several at once are one batch)",
            Arity = ArgumentArity.OneOrMore,
        };
        var length = new Option<string?>("--for") { Description = "How long: " + BanLength.Allowed + ". Default: ban_time, escalated per previous ban" };
        var reason = new Option<string?>("--reason") { Description = "Why, for the record" };
        var source = new Option<string?>("--source") { Description = "Who asks: manual (default), fail2ban, a jail name" };
        var command = new Command("ban", "Redirect addresses into the tarpits now (works whether or not the agent runs).")
        {
            targets, length, reason, source, config,
        };
        CliBoundary.SetAction(command, (parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(config) ?? AgentCli.DefaultConfigPath,
            parseResult.GetValue(targets) ?? [],
            parseResult.GetValue(length),
            parseResult.GetValue(reason),
            parseResult.GetValue(source),
            parseResult.InvocationConfiguration.Output,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string configPath, string[] targetTexts, string? length, string? reason, string? source, TextWriter output, CancellationToken cancellationToken)
    {
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
            throw new OperatorException($"refused: {list} is in firewall.allow of {configPath}; nothing was changed. Remove it from the allowlist first if you really mean it.", ExitCodes.Refused);
        }

        var geoRefused = targets.Select(t => (Target: t, Reason: session.GeoAllowReason(t))).Where(r => r.Reason is not null).ToList();
        if (geoRefused.Count > 0)
        {
            var list = string.Join("; ", geoRefused.Select(r => $"{NetworkText.Format(r.Target)}: {r.Reason}"));
            throw new OperatorException(
                $"refused: {list} (in [geoip] of {configPath}); nothing was changed. Remove the AS or country from geoip.allow_asns / allow_countries first if you really mean it.",
                ExitCodes.Refused);
        }

        session.CheckFirewall();
        var outcomes = new List<BanOutcome>(targets.Count);
        foreach (var target in targets)
        {
            outcomes.Add(await session.BanAsync(new BanRequest(target, source, reason ?? "banned by hand", duration, permanent), cancellationToken));
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
    private const int MaxPrintedOutcomes = 20;

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
