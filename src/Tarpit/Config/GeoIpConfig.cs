namespace Tarpit.Config;

/// <summary><c>[geoip]</c>: MaxMind databases; empty paths are off.</summary>
internal sealed record GeoIpConfig(
    string? CityDb,
    string? AsnDb,
    IReadOnlyList<long> AllowAsns,
    IReadOnlyList<string> AllowCountries)
{
    public static GeoIpConfig Off { get; } = new(null, null, [], []);

    /// <summary>Value equality, lists compared item by item.</summary>
    public bool Equals(GeoIpConfig? other) =>
        other is not null
        && CityDb == other.CityDb
        && AsnDb == other.AsnDb
        && AllowAsns.SequenceEqual(other.AllowAsns)
        && AllowCountries.SequenceEqual(other.AllowCountries);

    public override int GetHashCode() => HashCode.Combine(CityDb, AsnDb, AllowAsns.Count, AllowCountries.Count);
}
