using System.Globalization;
using System.Net;
using Tarpit.Config;
using Tarpit.Net;

namespace Tarpit.Geo;

/// <summary>
/// <c>geoip.allow_asns</c> and <c>geoip.allow_countries</c>: networks that must never be redirected (search-engine
/// crawlers, a partner's AS, the admin's own country). The ban service asks it on every path (log, decoy, fail2ban,
/// manual) and refuses with the reason it gives.
/// </summary>
internal sealed class GeoAllowlist(GeoIpConfig config, GeoLookup lookup)
{
    private readonly HashSet<long> _asns = [.. config.AllowAsns];

    private readonly HashSet<string> _countries = new(
        config.AllowCountries.Select(country => country.Trim()),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>True when both lists are empty: then no address is allowlisted and nothing is looked up.</summary>
    public bool IsEmpty => _asns.Count == 0 && _countries.Count == 0;

    /// <summary>
    /// Why <paramref name="address"/> must not be redirected, e.g. <c>AS15169 (Google LLC) is in geoip.allow_asns</c>
    /// or <c>country NL (Netherlands) is in geoip.allow_countries</c>; null when neither list matches or nothing is
    /// known about the address.
    /// </summary>
    public string? AllowReason(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (IsEmpty || lookup.Lookup(address) is not { } info)
        {
            return null;
        }

        if (info.Asn is { } asn && _asns.Contains(asn))
        {
            return info.AsnOrganization is null
                ? string.Create(CultureInfo.InvariantCulture, $"AS{asn} is in geoip.allow_asns")
                : string.Create(CultureInfo.InvariantCulture, $"AS{asn} ({info.AsnOrganization}) is in geoip.allow_asns");
        }

        if (info.CountryCode is { } code && _countries.Contains(code))
        {
            return info.CountryName is null
                ? $"country {code} is in geoip.allow_countries"
                : $"country {code} ({info.CountryName}) is in geoip.allow_countries";
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="network"/> (a ban target) must not be redirected: the reason for its first or its last
    /// address. A wider prefix that merely contains an allowlisted network somewhere in its middle is not detected;
    /// the ban service bans single addresses from detection, so this only matters for an admin's manual prefix ban.
    /// </summary>
    public string? AllowReason(IPNetwork network)
    {
        if (IsEmpty)
        {
            return null;
        }

        return AllowReason(network.BaseAddress) ?? AllowReason(Networks.LastAddress(network));
    }
}
