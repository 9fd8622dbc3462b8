using MaxMind.Db;

namespace Tarpit.Geo;

/// <summary>A <c>country</c> or <c>registered_country</c> map of a MaxMind location record.</summary>
internal sealed class CountryRecord
{
    [Constructor]
    public CountryRecord([MapKey("iso_code")] string? isoCode, [MapKey("names")] CountryNames? names)
    {
        IsoCode = isoCode;
        Names = names;
    }

    /// <summary>ISO 3166-1 alpha-2, e.g. <c>NL</c>.</summary>
    public string? IsoCode { get; }

    public CountryNames? Names { get; }
}
