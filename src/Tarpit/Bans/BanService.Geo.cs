using System.Net;
using Serilog;
using Tarpit.Geo;

namespace Tarpit.Bans;

internal sealed partial class BanService
{
    /// <summary>
    /// The <c>geoip.allow_asns</c> / <c>geoip.allow_countries</c> rule that protects the target, e.g.
    /// <c>AS64501 (Innocent GmbH) is in geoip.allow_asns</c>; null when none does or no GeoIP allowlist is configured.
    /// </summary>
    public string? GeoAllowReason(IPNetwork target) => geoAllowlist?.AllowReason(target);

    private BanOutcome RefuseByGeo(IPNetwork target, string shown, string geoReason)
    {
        BansLog.RefusedByGeo(Enriched(target), shown, geoReason);
        return new BanOutcome(false, $"refused: {shown} is allowlisted: {geoReason}; nothing changed", null, 0)
        {
            Refusal = BanRefusal.Allowlisted,
        };
    }

    /// <summary>Country and AS of the target's base address (a cached lookup); null without GeoIP or when unknown.</summary>
    private GeoInfo? Where(IPNetwork target) => geo?.Lookup(target.BaseAddress);

    /// <summary>The log with <c>CountryCode</c>, <c>Asn</c> and <c>AsnOrganization</c> of the target, when known.</summary>
    private ILogger Enriched(IPNetwork target) => geo is null ? log : geo.Enrich(log, target.BaseAddress);
}
