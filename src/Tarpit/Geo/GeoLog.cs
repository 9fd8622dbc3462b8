using Serilog;

namespace Tarpit.Geo;

/// <summary>
/// The log lines of the GeoIP lookup and its database files, each template written once (Kestrel's
/// <c>SocketsLog</c>). <c>{ConfigKey:l}</c> is the config key that names the file (<c>geoip.city_db</c>).
/// </summary>
internal static class GeoLog
{
    public static void AsnAllowlistUnprotected(ILogger log, int count) =>
        log.Warning(
            "GeoIP: geoip.allow_asns lists {Count} AS numbers but no ASN database is loaded (geoip.asn_db): those networks are not protected until it is",
            count);

    public static void CountryAllowlistUnprotected(ILogger log, int count) =>
        log.Warning(
            "GeoIP: geoip.allow_countries lists {Count} countries but no City or Country database is loaded (geoip.city_db): those countries are not protected until it is",
            count);

    public static void RecordNotDecoded(ILogger log, string configKey, string path, string error) =>
        log.Warning(
            "GeoIP: cannot decode a record of {ConfigKey:l} {Path} ({Error:l}); lookups that reach such records return nothing",
            configKey,
            path,
            error);

    public static void FileCorrupt(ILogger log, string configKey, string path, string error) =>
        log.Warning(
            "GeoIP: {ConfigKey:l} {Path} is corrupt ({Error:l}); lookups in the damaged part return nothing until the file is replaced",
            configKey,
            path,
            error);

    public static void FileNotRead(ILogger log, string configKey, string path, string error) =>
        log.Warning("GeoIP: cannot read {ConfigKey:l} {Path}: {Error:l}", configKey, path, error);

    /// <summary>The first version of a file (<paramref name="reload"/> false) or a new one.</summary>
    public static void Loaded(ILogger log, bool reload, string configKey, string path, string databaseType, DateTime buildDate) =>
        log.Information(
            reload ? "GeoIP: reloaded {ConfigKey:l} {Path} ({DatabaseType:l}, built {BuildDate:yyyy-MM-dd})"
                : "GeoIP: loaded {ConfigKey:l} {Path} ({DatabaseType:l}, built {BuildDate:yyyy-MM-dd})",
            configKey,
            path,
            databaseType,
            buildDate);

    public static void NewVersionUnusable(ILogger log, string configKey, string path, string error) =>
        log.Warning(
            "GeoIP: cannot use the new version of {ConfigKey:l} {Path}: {Error:l}; keeping the previously loaded version",
            configKey,
            path,
            error);

    public static void FileUnusable(ILogger log, string configKey, string path, string error) =>
        log.Warning(
            "GeoIP: cannot use {ConfigKey:l} {Path}: {Error:l}; lookups return nothing from it until a readable MaxMind .mmdb file replaces it",
            configKey,
            path,
            error);

    public static void FileMissing(ILogger log, string configKey, string path) =>
        log.Warning(
            "GeoIP: {ConfigKey:l} {Path} does not exist; lookups return nothing from it until it appears (run geoipupdate or fix the path)",
            configKey,
            path);

    public static void FileDisappeared(ILogger log, string configKey, string path) =>
        log.Warning(
            "GeoIP: {ConfigKey:l} {Path} disappeared; keeping the previously loaded version until a new file appears",
            configKey,
            path);

    public static void NotWatched(ILogger log, string directory, string path, string error, TimeSpan pollInterval) =>
        log.Warning(
            "GeoIP: cannot watch {Directory} for new versions of {Path}: {Error:l}; checking every {PollInterval} instead",
            directory,
            path,
            error,
            pollInterval);

    public static void UpdateCheckFailed(ILogger log, Exception ex, string configKey, string path) =>
        log.Error(ex, "GeoIP: checking {ConfigKey:l} {Path} for a new version failed", configKey, path);
}
