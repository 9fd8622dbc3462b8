using Tarpit.Config;
using Tarpit.Geo;

namespace Tarpit.Bans;

/// <summary>Reload: the allowlists and the ban times a running daemon's ban service decides with.</summary>
internal sealed partial class BanService
{
    /// <summary>
    /// From the next ban on, decides with <paramref name="newFirewall"/> (allowlist, ban times, cut_established) and
    /// <paramref name="newGeoAllowlist"/>. Bans already stored keep the length they were given; nothing is lifted or
    /// refused again. Each field is one reference write, so a ban decided meanwhile sees the old or the new value.
    /// </summary>
    public void Reconfigure(FirewallConfig newFirewall, GeoAllowlist? newGeoAllowlist)
    {
        ArgumentNullException.ThrowIfNull(newFirewall);
        firewall = newFirewall;
        geoAllowlist = newGeoAllowlist;
    }
}
