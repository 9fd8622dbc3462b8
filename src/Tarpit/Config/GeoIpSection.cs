using System.Text.RegularExpressions;
using Tomlyn.Syntax;

namespace Tarpit.Config;

/// <summary>Reads <c>[geoip]</c>.</summary>
internal static partial class GeoIpSection
{
    public static readonly IReadOnlyList<string> Keys = ["city_db", "asn_db", "allow_asns", "allow_countries"];

    /// <summary>AS numbers are 32-bit (RFC 6793); 0 is reserved (RFC 7607).</summary>
    public const long MaxAsn = uint.MaxValue;

    public static GeoIpConfig Read(TomlTableView? table, string configDir)
    {
        if (table is null)
        {
            return GeoIpConfig.Off;
        }

        var (cityDb, cityGiven) = ReadDatabase(table, "city_db", configDir);
        var (asnDb, asnGiven) = ReadDatabase(table, "asn_db", configDir);
        var asns = new List<long>();
        foreach (var item in table.GetArray("allow_asns") ?? [])
        {
            if (item is IntegerValueSyntax i && i.Value is >= 1 and <= MaxAsn)
            {
                asns.Add(i.Value);
            }
            else
            {
                table.Diagnostics.Add(item, $"invalid 'allow_asns' entry: found {TomlText.Describe(item)}, expected an AS number as an integer 1-{MaxAsn}, e.g. 64496");
            }
        }

        var countries = new List<string>();
        foreach (var item in table.GetArray("allow_countries") ?? [])
        {
            if (item is StringValueSyntax s && CountryRegex().IsMatch(s.Value ?? string.Empty))
            {
                countries.Add(s.Value!);
            }
            else
            {
                table.Diagnostics.Add(item, $"invalid 'allow_countries' entry: found {TomlText.Describe(item)}, expected an ISO 3166-1 alpha-2 code in upper case, e.g. \"DE\"");
            }
        }

        RequireDatabase(table, "allow_asns", asns.Count, "asn_db", asnGiven);
        RequireDatabase(table, "allow_countries", countries.Count, "city_db", cityGiven);
        table.ReportUnknownKeys(Keys);
        return new GeoIpConfig(cityDb, asnDb, [.. asns], [.. countries]);
    }

    /// <summary>An allow list that needs a database which is off (not configured at all).</summary>
    private static void RequireDatabase(TomlTableView table, string key, int count, string databaseKey, bool databaseGiven)
    {
        if (count > 0 && !databaseGiven)
        {
            table.Diagnostics.Add(table.KeyPosition(key), $"'{key}' needs '{databaseKey}' to look addresses up; set {databaseKey} to a MaxMind .mmdb file, or set {key} = []");
        }
    }

    /// <summary>
    /// The absolute path of a database, or null when none is given. A path that does not exist (yet) is accepted: the
    /// agent warns at start and loads the file when it appears (geoipupdate may run after the agent starts).
    /// </summary>
    private static (string? Path, bool Given) ReadDatabase(TomlTableView table, string key, string configDir)
    {
        var text = table.GetString(key, out var node);
        if (string.IsNullOrEmpty(text) || node is null)
        {
            return (null, false);
        }

        return (Path.GetFullPath(text, configDir), true);
    }

    [GeneratedRegex(@"^[A-Z]{2}\z")]
    private static partial Regex CountryRegex();
}
