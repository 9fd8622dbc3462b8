namespace Tarpit.Config;

/// <summary><c>[geoip]</c>: MaxMind databases; empty paths are off.</summary>
internal sealed record GeoIpConfig(
    string? CityDb,
    string? AsnDb,
    IReadOnlyList<long> AllowAsns,
    IReadOnlyList<string> AllowCountries)
{
    public static GeoIpConfig Off { get; } = new(null, null, [], []);
}
