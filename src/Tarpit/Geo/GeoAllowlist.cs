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

        if (IsAllowedAsn(info))
        {
            return AsnRule(info);
        }

        if (IsAllowedCountry(info))
        {
            return CountryRule(info);
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="network"/> (a ban target) must not be redirected. A single address gets its own reason; a
    /// wider network is refused when it overlaps any network of the databases that the lists protect, named with its
    /// rule (<c>it overlaps 198.51.100.0/24, where AS64501 (Innocent GmbH) is in geoip.allow_asns</c>), found by
    /// walking the database's networks inside it (<see cref="GeoLookup.FindInside"/>); and, conservatively, when it
    /// holds more networks than <see cref="GeoLookup.MaxWalkSteps"/>, since it could not be checked whole.
    /// </summary>
    public string? AllowReason(IPNetwork network)
    {
        if (IsEmpty)
        {
            return null;
        }

        if (Networks.IsHost(network))
        {
            return AllowReason(network.BaseAddress);
        }

        return (_asns.Count > 0 ? Inside(network, GeoDatabaseRole.Asn, "geoip.asn_db", "geoip.allow_asns", IsAllowedAsn, AsnRule) : null)
            ?? (_countries.Count > 0 ? Inside(network, GeoDatabaseRole.Location, "geoip.city_db", "geoip.allow_countries", IsAllowedCountry, CountryRule) : null);
    }

    private string? Inside(IPNetwork network, GeoDatabaseRole role, string database, string list, Func<GeoInfo, bool> allowed, Func<GeoInfo, string> rule)
    {
        if (lookup.FindInside(network, role, allowed) is not { } match)
        {
            return null;
        }

        if (match.TooManyNetworks)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"it spans more than {lookup.MaxWalkSteps:N0} networks of {database}, too many to check against {list}; ban smaller prefixes");
        }

        return match is { Network: { } overlap, Info: { } info }
            ? $"it overlaps {NetworkText.Format(overlap)}, where {rule(info)}"
            : null;
    }

    private bool IsAllowedAsn(GeoInfo info) => info.Asn is { } asn && _asns.Contains(asn);

    private bool IsAllowedCountry(GeoInfo info) => info.CountryCode is { } code && _countries.Contains(code);

    private static string AsnRule(GeoInfo info) => info.AsnOrganization is null
        ? string.Create(CultureInfo.InvariantCulture, $"AS{info.Asn} is in geoip.allow_asns")
        : string.Create(CultureInfo.InvariantCulture, $"AS{info.Asn} ({info.AsnOrganization}) is in geoip.allow_asns");

    private static string CountryRule(GeoInfo info) => info.CountryName is null
        ? $"country {info.CountryCode} is in geoip.allow_countries"
        : $"country {info.CountryCode} ({info.CountryName}) is in geoip.allow_countries";
}
