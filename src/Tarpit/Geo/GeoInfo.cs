namespace Tarpit.Geo;

/// <summary>Where an address comes from, as far as the configured MaxMind databases know.</summary>
/// <param name="CountryCode">ISO 3166-1 alpha-2 (e.g. <c>NL</c>) from the City or Country database.</param>
/// <param name="CountryName">The English country name (e.g. <c>Netherlands</c>).</param>
/// <param name="Asn">The autonomous system number (e.g. <c>64500</c>) from the ASN database.</param>
/// <param name="AsnOrganization">The organisation that holds the AS (e.g. <c>Example Attackers BV</c>).</param>
internal sealed record GeoInfo(string? CountryCode, string? CountryName, long? Asn, string? AsnOrganization)
{
    /// <summary><c>NL</c>, <c>AS64500</c> and the organisation, for a log line or a table cell; empty when nothing is known.</summary>
    public override string ToString()
    {
        var parts = new List<string>(3);
        if (CountryCode is not null)
        {
            parts.Add(CountryCode);
        }

        if (Asn is { } asn)
        {
            parts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"AS{asn}"));
        }

        if (AsnOrganization is not null)
        {
            parts.Add(AsnOrganization);
        }

        return string.Join(' ', parts);
    }
}
