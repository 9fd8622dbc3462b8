using System.Net;
using MaxMind.GeoIP2.Responses;

namespace Tarpit.Geo;

internal sealed partial class GeoLookup
{
    /// <summary>
    /// Cap on a country or AS organisation name. AS names are chosen by whoever registers the AS (an attacker can),
    /// and the database is third-party data, so names are escaped like attacker text before they reach a log, the
    /// store or a terminal; real names are well under this (the longest GeoLite2 organisations are ~90 characters).
    /// </summary>
    public const int MaxNameLength = 128;

    /// <summary>Country code and name from a City, Country or Enterprise database; the registered country when the
    /// database has no located country for the network (e.g. anycast and satellite ranges).</summary>
    private static GeoInfo? QueryLocation(GeoReaderHandle handle, IPAddress address)
    {
        var reader = handle.Reader;
        // The reader refuses a method that does not match the database type, so pick the one that does.
        var databaseType = handle.DatabaseType;
        AbstractCountryResponse? response;
        if (databaseType.Contains("Enterprise", StringComparison.OrdinalIgnoreCase))
        {
            response = reader.TryEnterprise(address, out var enterprise) ? enterprise : null;
        }
        else if (databaseType.Contains("City", StringComparison.OrdinalIgnoreCase))
        {
            response = reader.TryCity(address, out var city) ? city : null;
        }
        else
        {
            response = reader.TryCountry(address, out var country) ? country : null;
        }

        if (response is null)
        {
            return null;
        }

        var code = response.Country.IsoCode ?? response.RegisteredCountry.IsoCode;
        var name = response.Country.IsoCode is not null ? response.Country.Name : response.RegisteredCountry.Name;
        return code is null && name is null ? null : new GeoInfo(Clean(code), Clean(name), null, null);
    }

    /// <summary>AS number and organisation from an ASN (or ISP) database.</summary>
    private static GeoInfo? QueryAsn(GeoReaderHandle handle, IPAddress address)
    {
        var reader = handle.Reader;
        if (handle.DatabaseType.Contains("ISP", StringComparison.OrdinalIgnoreCase))
        {
            return reader.TryIsp(address, out var isp) && isp?.AutonomousSystemNumber is { } ispAsn
                ? new GeoInfo(null, null, ispAsn, Clean(isp.AutonomousSystemOrganization))
                : null;
        }

        return reader.TryAsn(address, out var asn) && asn?.AutonomousSystemNumber is { } number
            ? new GeoInfo(null, null, number, Clean(asn.AutonomousSystemOrganization))
            : null;
    }

    /// <summary>A name from the database, escaped and cut at <see cref="MaxNameLength"/>.</summary>
    internal static string? Clean(string? text) => text is null ? null : Text.AttackerText.Escape(text, MaxNameLength);
}
