using System.Net;
using MaxMind.Db;
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

    /// <summary>MaxMind.GeoIP2's default locale list, and the one name we keep.</summary>
    private const string English = "en";

    private static readonly IReadOnlyList<string> Locales = [English];

    /// <summary>Country code and name from a City, Country or Enterprise database (all three share the country part
    /// of the record, which is what <see cref="CountryResponse"/> decodes; the city keys are skipped); the registered
    /// country when the database has no located country for the network (e.g. anycast and satellite ranges).</summary>
    private static GeoInfo? QueryLocation(GeoReaderHandle handle, IPAddress address) => FindLocation(handle, address, out _);

    /// <summary>As <see cref="QueryLocation"/>, with the prefix length of the database's network holding the address
    /// (with or without a record: an empty stretch of the tree has one too).</summary>
    private static GeoInfo? FindLocation(GeoReaderHandle handle, IPAddress address, out int prefixLength)
    {
        if (handle.Reader.Find<CountryResponse>(address, out prefixLength, Injectables(address)) is not { } record)
        {
            return null;
        }

        var country = record.Country.IsoCode is not null ? record.Country : record.RegisteredCountry;
        var code = country.IsoCode;
        var name = country.Names.GetValueOrDefault(English);
        return code is null && name is null ? null : new GeoInfo(Clean(code), Clean(name), null, null);
    }

    /// <summary>AS number and organisation from an ASN (or ISP) database (the same two keys in both).</summary>
    private static GeoInfo? QueryAsn(GeoReaderHandle handle, IPAddress address) => FindAsn(handle, address, out _);

    /// <summary>As <see cref="QueryAsn"/>, with the prefix length of the database's network holding the address.</summary>
    private static GeoInfo? FindAsn(GeoReaderHandle handle, IPAddress address, out int prefixLength) =>
        handle.Reader.Find<AsnResponse>(address, out prefixLength, Injectables(address)) is { AutonomousSystemNumber: { } number } record
            ? new GeoInfo(null, null, number, Clean(record.AutonomousSystemOrganization))
            : null;

    /// <summary>The values GeoIP2's responses take from the query rather than the record (their <c>[Inject]</c>
    /// parameters), as its DatabaseReader passes them; the decoder refuses a record without them.</summary>
    internal static InjectableValues Injectables(IPAddress address)
    {
        var values = new InjectableValues();
        values.AddValue("ip_address", address.ToString());
        values.AddValue("locales", Locales);
        return values;
    }

    /// <summary>A name from the database, escaped and cut at <see cref="MaxNameLength"/>.</summary>
    internal static string? Clean(string? text) => text is null ? null : Text.AttackerText.Escape(text, MaxNameLength);
}
