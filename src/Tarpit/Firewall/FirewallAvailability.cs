using Tarpit.Config;
using Tarpit.Linux;

namespace Tarpit.Firewall;

/// <summary>Whether the agent can drive the firewall here; when not, why (for one clear line at start).</summary>
internal sealed record FirewallAvailability(bool Available, string? Reason)
{
    /// <summary>The reason when <c>run --observe</c> keeps the firewall off.</summary>
    public const string ObserveReason = "run --observe: observing only, the firewall is never touched; bans are stored and logged as \"would ban\"";

    /// <summary>
    /// Off with <paramref name="observe"/> (<c>run --observe</c>), when <c>firewall.enabled = false</c>, when not root,
    /// or when nft is missing; the daemon still runs its tarpits and logs what it would have done.
    /// </summary>
    public static FirewallAvailability Check(FirewallConfig firewall, bool observe = false)
    {
        ArgumentNullException.ThrowIfNull(firewall);
        if (observe)
        {
            return new(false, ObserveReason);
        }

        if (!firewall.Enabled)
        {
            return new(false, "firewall.enabled = false: observing only, bans are stored and logged as \"would ban\"");
        }

        if (!HasNetAdmin())
        {
            return new(false, "not running as root or with CAP_NET_ADMIN: nft cannot change the ruleset (run the agent as root or grant CAP_NET_ADMIN, or set firewall.enabled = false)");
        }

        if (FindExecutable(firewall.Nft) is null)
        {
            return new(false, $"'{firewall.Nft}' was not found (install nftables: apt-get install nftables, or set firewall.nft to its path)");
        }

        return new(true, null);
    }

    /// <summary>Root, or the CAP_NET_ADMIN capability in effect (a dedicated user under systemd's AmbientCapabilities).</summary>
    public static bool HasNetAdmin()
    {
        // linux/capability.h: #define CAP_NET_ADMIN 12
        const int CapNetAdmin = 12;
        if (EffectiveUser.IsRoot)
        {
            return true;
        }

        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
            return line is not null
                && ulong.TryParse(line["CapEff:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var caps)
                && (caps & (1UL << CapNetAdmin)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The full path of a tool given by name (searched on PATH and the sbin directories) or by path.</summary>
    public static string? FindExecutable(string tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (tool.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(tool) ? tool : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
    }
}
