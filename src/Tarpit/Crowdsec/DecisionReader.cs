using Tarpit.Config;
using Tarpit.Net;

namespace Tarpit.Crowdsec;

/// <summary>
/// Turns the LAPI's decisions into <see cref="RemoteDecision"/>s: scope <c>Ip</c> or <c>Range</c> (IPv4 and IPv6),
/// a value our one address parser takes, a remaining time; then the admin's filters (<c>types</c>, <c>origins</c>,
/// <c>scenarios_containing</c>, all three must match). Simulated decisions never become redirects. Every field is
/// remote-controlled and bounded here.
/// </summary>
internal sealed class DecisionReader(CrowdsecConfig config)
{
    /// <summary>Bound on an origin we keep: the ban source is <c>crowdsec:ORIGIN</c> within <c>BanService.SourceMaxLength</c> (64).</summary>
    public const int MaxOriginLength = 48;

    /// <summary>Bound on a scenario we keep (CrowdSec's hub names are under 64 characters; a list's name can be longer).</summary>
    public const int MaxScenarioLength = 256;

    /// <summary>Bound on a type (<c>ban</c>, <c>captcha</c>, <c>throttle</c>, custom ones).</summary>
    public const int MaxTypeLength = 32;

    /// <summary>What became of the decisions of one response, for the pull's one log line.</summary>
    internal sealed class Tally
    {
        public int Accepted { get; set; }

        public int Filtered { get; set; }

        public int OtherScope { get; set; }

        public int Invalid { get; set; }

        public int Ended { get; set; }
    }

    /// <summary>The decision if it is a well-formed Ip/Range one (filters not applied): deletions need only this.</summary>
    public static RemoteDecision? Read(LapiDecision decision, Tally tally)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(tally);
        var scope = decision.Scope ?? string.Empty;
        var isIp = scope.Equals("ip", StringComparison.OrdinalIgnoreCase);
        var isRange = scope.Equals("range", StringComparison.OrdinalIgnoreCase);
        if (!isIp && !isRange)
        {
            tally.OtherScope++;
            return null;
        }

        var value = decision.Value;
        if (value is null || value.Length > NetworkText.MaxLength
            || !NetworkText.TryParse(value, NetworkTextStyle.Literal, out var target, out _)
            || (isIp && !Networks.IsHost(target))
            || target.PrefixLength == 0
            || !GoDuration.TryParse(decision.Duration, out var remaining)
            || decision.Origin is not { Length: > 0 and <= MaxOriginLength } origin
            || decision.Type is not { Length: > 0 and <= MaxTypeLength } type)
        {
            tally.Invalid++;
            return null;
        }

        var scenario = decision.Scenario ?? string.Empty;
        if (scenario.Length > MaxScenarioLength)
        {
            scenario = scenario[..MaxScenarioLength];
        }

        return new RemoteDecision(decision.Id, target, origin, scenario, type, remaining);
    }

    /// <summary>A decision that becomes a redirect here: well-formed, not simulated, not ended, and matching the filters.</summary>
    public RemoteDecision? Accept(LapiDecision decision, Tally tally)
    {
        if (Read(decision, tally) is not { } read)
        {
            return null;
        }

        if (read.Remaining <= TimeSpan.Zero)
        {
            tally.Ended++;
            return null;
        }

        if (decision.Simulated == true || !Matches(read))
        {
            tally.Filtered++;
            return null;
        }

        tally.Accepted++;
        return read;
    }

    public bool Matches(RemoteDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return config.Types.Contains(decision.Type, StringComparer.OrdinalIgnoreCase)
            && (config.Origins.Count == 0 || config.Origins.Contains(decision.Origin, StringComparer.OrdinalIgnoreCase))
            && (config.ScenariosContaining.Count == 0
                || config.ScenariosContaining.Any(part => decision.Scenario.Contains(part, StringComparison.OrdinalIgnoreCase)));
    }
}
