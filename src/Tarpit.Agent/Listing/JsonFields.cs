using System.Text.Json;
using Tarpit.Geo;

namespace Tarpit.Agent.Listing;

/// <summary>The fields the verbs' JSON (`list --json`, `show --json`) write alike: a value or null, and the GeoIP four.</summary>
internal static class JsonFields
{
    public static void Text(Utf8JsonWriter writer, string name, string? text)
    {
        if (text is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, text);
        }
    }

    public static void Time(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            writer.WriteString(name, t.UtcDateTime);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>country_code, country_name, asn, as_org: null each when unknown.</summary>
    public static void Geo(Utf8JsonWriter writer, GeoInfo? geo)
    {
        Text(writer, "country_code", geo?.CountryCode);
        Text(writer, "country_name", geo?.CountryName);
        if (geo?.Asn is { } asn)
        {
            writer.WriteNumber("asn", asn);
        }
        else
        {
            writer.WriteNull("asn");
        }

        Text(writer, "as_org", geo?.AsnOrganization);
    }
}
