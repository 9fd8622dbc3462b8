using Tarpit.Config;

namespace Tarpit.Bans;

/// <summary>How long a ban lasts when nobody said: <c>ban_time × ban_time_factor^(previous bans)</c>, capped at <c>max_ban_time</c>.</summary>
internal static class Escalation
{
    public static TimeSpan Duration(FirewallConfig firewall, int previousBans)
    {
        ArgumentNullException.ThrowIfNull(firewall);
        ArgumentOutOfRangeException.ThrowIfNegative(previousBans);
        var seconds = firewall.BanTime.TotalSeconds * Math.Pow(Math.Max(firewall.BanTimeFactor, 1.0), previousBans);
        var cap = firewall.MaxBanTime > TimeSpan.Zero ? firewall.MaxBanTime : DurationSyntax.Max;
        return double.IsFinite(seconds) && seconds < cap.TotalSeconds
            ? TimeSpan.FromSeconds(Math.Round(seconds))
            : cap;
    }
}
