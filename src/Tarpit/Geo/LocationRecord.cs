using MaxMind.Db;

namespace Tarpit.Geo;

/// <summary>
/// The part of a City, Country or Enterprise database record we read: the located country and the country where the
/// network is registered. MaxMind.Db's source generator registers the constructor at build time, so decoding needs no
/// reflection (Native AOT); keys the model does not name (city, continent, other locales) are skipped.
/// </summary>
internal sealed class LocationRecord
{
    [Constructor]
    public LocationRecord(
        [MapKey("country")] CountryRecord? country,
        [MapKey("registered_country")] CountryRecord? registeredCountry)
    {
        Country = country;
        RegisteredCountry = registeredCountry;
    }

    public CountryRecord? Country { get; }

    public CountryRecord? RegisteredCountry { get; }
}
