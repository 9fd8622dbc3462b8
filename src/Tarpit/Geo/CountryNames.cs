using MaxMind.Db;

namespace Tarpit.Geo;

/// <summary>
/// The <c>names</c> map of a country, of which we read only English (what MaxMind.GeoIP2's default locale list gave):
/// the other locales are skipped rather than decoded into a dictionary.
/// </summary>
internal sealed class CountryNames
{
    [Constructor]
    public CountryNames([MapKey("en")] string? english)
    {
        English = english;
    }

    public string? English { get; }
}
