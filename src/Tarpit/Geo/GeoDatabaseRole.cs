namespace Tarpit.Geo;

/// <summary>Which part of <see cref="GeoInfo"/> a database answers.</summary>
internal enum GeoDatabaseRole
{
    /// <summary><c>geoip.city_db</c>: a City or Country database (GeoLite2 or GeoIP2, Enterprise included).</summary>
    Location,

    /// <summary><c>geoip.asn_db</c>: an ASN (or ISP) database.</summary>
    Asn,
}
