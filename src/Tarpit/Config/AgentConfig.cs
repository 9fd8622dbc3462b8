using Serilog.Events;

namespace Tarpit.Config;

/// <summary><c>[agent]</c>: where state and logs live, and how long the store keeps what is over.</summary>
internal sealed record AgentConfig(
    string StateDir,
    string? LogFile,
    LogEventLevel LogLevel)
{
    /// <summary><c>sessions_retention</c>'s default: a month of tarpit sessions for <c>list</c> and forensics.</summary>
    public static readonly TimeSpan DefaultSessionsRetention = TimeSpan.FromDays(30);

    /// <summary>
    /// <c>bans_retention</c>'s default: half a year. Escalation counts an address's earlier bans that are still
    /// stored, so an offender who comes back within half a year of his last ban's end is escalated.
    /// </summary>
    public static readonly TimeSpan DefaultBansRetention = TimeSpan.FromDays(180);

    /// <summary>The shortest retention allowed: the pruner runs hourly, and a shorter one would lose a day's history unseen.</summary>
    public static readonly TimeSpan MinRetention = TimeSpan.FromDays(1);

    /// <summary>Tarpit sessions that ended longer ago than this are deleted from the store.</summary>
    public TimeSpan SessionsRetention { get; init; } = DefaultSessionsRetention;

    /// <summary>Bans (lifted or run out) that ended longer ago than this are deleted; a ban in force never is.</summary>
    public TimeSpan BansRetention { get; init; } = DefaultBansRetention;

    public static AgentConfig Defaults(string configDir) => new(
        Path.GetFullPath("state", configDir),
        Path.GetFullPath(Path.Combine("state", "events.jsonl"), configDir),
        LogEventLevel.Information);
}
