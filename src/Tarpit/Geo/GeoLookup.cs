using System.Net;
using Serilog;
using Tarpit.Config;
using Tarpit.Net;

namespace Tarpit.Geo;

/// <summary>
/// Country, ASN and organisation of an address, from the MaxMind databases in <c>[geoip]</c>. Either database may be
/// absent or broken (a Warning, never a crash); lookups then return only what the other one knows. Files replaced on
/// disk are picked up without a restart. Answers are cached (bounded, dropped on reload), and private or reserved
/// addresses return null without a lookup.
/// </summary>
/// <remarks>
/// For the ban path, <c>list</c>, the store and the JSON log: never call it on the drip path (a tarpit's per-tick
/// writes to held connections). Look an address up once when its connection or ban starts and carry the answer.
/// Thread-safe.
/// </remarks>
internal sealed partial class GeoLookup : IDisposable
{
    private readonly GeoDatabaseFile? _location;
    private readonly GeoDatabaseFile? _asn;
    private readonly int _cacheCapacity;
    private volatile GeoCache _cache;
    private volatile bool _disposed;

    private GeoLookup(GeoIpConfig config, ILogger log, TimeProvider time, GeoLookupOptions options)
    {
        _cacheCapacity = options.CacheCapacity;
        MaxWalkSteps = options.MaxWalkSteps;
        _cache = new GeoCache(_cacheCapacity);
        _location = OpenFile(config.CityDb, GeoDatabaseRole.Location, log, time, options);
        _asn = OpenFile(config.AsnDb, GeoDatabaseRole.Asn, log, time, options);

        WarnAboutUnusableAllowlists(config, log);
    }

    /// <summary>Opens the configured databases (none when both paths are empty) and starts watching them.</summary>
    public static GeoLookup Open(GeoIpConfig config, ILogger log, TimeProvider time) =>
        Open(config, log, time, GeoLookupOptions.Default);

    /// <inheritdoc cref="Open(GeoIpConfig, ILogger, TimeProvider)"/>
    public static GeoLookup Open(GeoIpConfig config, ILogger log, TimeProvider time, GeoLookupOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        return new GeoLookup(config, log.ForContext<GeoLookup>(), time, options);
    }

    /// <summary>True when a City or Country database is loaded.</summary>
    public bool HasLocation => _location?.IsLoaded ?? false;

    /// <summary>True when an ASN database is loaded.</summary>
    public bool HasAsn => _asn?.IsLoaded ?? false;

    /// <summary>Answers currently cached; never more than the capacity.</summary>
    internal int CachedCount => _cache.Count;

    /// <summary>
    /// What the databases know about <paramref name="address"/> (IPv4-mapped IPv6 is looked up as IPv4); null when
    /// nothing is known, the address is private or reserved, or the lookup is disposed.
    /// </summary>
    public GeoInfo? Lookup(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_disposed || (_location is null && _asn is null))
        {
            return null;
        }

        var normalized = Networks.Unmap(address);
        if (ReservedAddresses.Contains(normalized))
        {
            return null;
        }

        // Read the cache before the readers: a reload swaps the reader first and the cache second, so an answer from
        // an old reader can only land in the old cache, which nobody reads any more.
        var cache = _cache;
        if (cache.TryGet(normalized, out var cached))
        {
            return cached;
        }

        var location = _location?.Query(normalized, QueryLocation);
        var asn = _asn?.Query(normalized, QueryAsn);
        var info = location is null && asn is null
            ? null
            : new GeoInfo(location?.CountryCode, location?.CountryName, asn?.Asn, asn?.AsnOrganization);
        cache.Add(normalized, info);
        return info;
    }

    /// <summary>
    /// <paramref name="log"/> with <c>CountryCode</c>, <c>Asn</c> and <c>AsnOrganization</c> of
    /// <paramref name="address"/> attached (only the known ones), for the JSON log of a ban or a finished connection.
    /// </summary>
    public ILogger Enrich(ILogger log, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (Lookup(address) is not { } info)
        {
            return log;
        }

        var enriched = log;
        if (info.CountryCode is not null)
        {
            enriched = enriched.ForContext("CountryCode", info.CountryCode);
        }

        if (info.Asn is not null)
        {
            enriched = enriched.ForContext("Asn", info.Asn);
        }

        if (info.AsnOrganization is not null)
        {
            enriched = enriched.ForContext("AsnOrganization", info.AsnOrganization);
        }

        return enriched;
    }

    public void Dispose()
    {
        _disposed = true;
        _location?.Dispose();
        _asn?.Dispose();
        _cache = new GeoCache(_cacheCapacity);
    }

    private GeoDatabaseFile? OpenFile(string? path, GeoDatabaseRole role, ILogger log, TimeProvider time, GeoLookupOptions options) =>
        string.IsNullOrWhiteSpace(path)
            ? null
            : new GeoDatabaseFile(path, role, log, time, options, () => _cache = new GeoCache(_cacheCapacity));

    private void WarnAboutUnusableAllowlists(GeoIpConfig config, ILogger log)
    {
        if (config.AllowAsns.Count > 0 && !HasAsn)
        {
            GeoLog.AsnAllowlistUnprotected(log, config.AllowAsns.Count);
        }

        if (config.AllowCountries.Count > 0 && !HasLocation)
        {
            GeoLog.CountryAllowlistUnprotected(log, config.AllowCountries.Count);
        }
    }
}
