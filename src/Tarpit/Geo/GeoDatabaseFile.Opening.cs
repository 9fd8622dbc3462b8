using MaxMind.Db;

namespace Tarpit.Geo;

internal sealed partial class GeoDatabaseFile
{
    /// <summary>What MaxMind's reader raises for a file it cannot use: I/O and permissions, a missing metadata
    /// marker, undecodable data, an empty file (no mapping possible) or offsets that point outside the file.</summary>
    private static bool IsReadFailure(Exception ex) => ex is IOException
        or UnauthorizedAccessException
        or InvalidDatabaseException
        or DeserializationException
        or ArgumentException
        or InvalidOperationException
        or IndexOutOfRangeException
        or InvalidCastException
        or OverflowException;

    private bool Accepts(string databaseType) => _role switch
    {
        GeoDatabaseRole.Location => databaseType.Contains("City", StringComparison.OrdinalIgnoreCase)
            || databaseType.Contains("Country", StringComparison.OrdinalIgnoreCase)
            || databaseType.Contains("Enterprise", StringComparison.OrdinalIgnoreCase),
        GeoDatabaseRole.Asn => databaseType.Contains("ASN", StringComparison.OrdinalIgnoreCase)
            || databaseType.Contains("ISP", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private string Expected => _role is GeoDatabaseRole.Location
        ? "a City or Country database (e.g. GeoLite2-City.mmdb)"
        : "an ASN database (e.g. GeoLite2-ASN.mmdb)";

    private GeoReaderHandle? TryOpen()
    {
        Reader? reader = null;
        string problem;
        try
        {
            reader = new Reader(Path, FileAccessMode.MemoryMapped);
            var databaseType = reader.Metadata.DatabaseType;
            if (Accepts(databaseType))
            {
                return new GeoReaderHandle(reader);
            }

            problem = $"it is a {databaseType} database, not {Expected}";
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            problem = ex.Message;
        }

        reader?.Dispose();
        if (IsLoaded)
        {
            _log.Warning(
                "GeoIP: cannot use the new version of {ConfigKey:l} {Path}: {Error:l}; keeping the previously loaded version",
                ConfigKey,
                Path,
                problem);
        }
        else
        {
            _log.Warning(
                "GeoIP: cannot use {ConfigKey:l} {Path}: {Error:l}; lookups return nothing from it until a readable MaxMind .mmdb file replaces it",
                ConfigKey,
                Path,
                problem);
        }

        return null;
    }

    private void ReportMissing(bool first)
    {
        if (first)
        {
            _log.Warning(
                "GeoIP: {ConfigKey:l} {Path} does not exist; lookups return nothing from it until it appears (run geoipupdate or fix the path)",
                ConfigKey,
                Path);
        }
        else if (IsLoaded)
        {
            _log.Warning(
                "GeoIP: {ConfigKey:l} {Path} disappeared; keeping the previously loaded version until a new file appears",
                ConfigKey,
                Path);
        }
    }

    private FileSystemWatcher? StartWatcher(TimeSpan pollInterval)
    {
        var directory = System.IO.Path.GetDirectoryName(Path) ?? "/";
        FileSystemWatcher? watcher = null;
        try
        {
            watcher = new FileSystemWatcher(directory, System.IO.Path.GetFileName(Path))
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Created += (_, _) => CheckGuarded();
            watcher.Changed += (_, _) => CheckGuarded();
            watcher.Renamed += (_, _) => CheckGuarded();
            watcher.Error += (_, _) => CheckGuarded();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            watcher?.Dispose();
            _log.Warning(
                "GeoIP: cannot watch {Directory} for new versions of {Path}: {Error:l}; checking every {PollInterval} instead",
                directory,
                Path,
                ex.Message,
                pollInterval);
            return null;
        }
    }

    /// <summary>Entry point for the watcher and the timer, which run on pool threads: nothing may escape.</summary>
    private void CheckGuarded()
    {
        try
        {
            CheckForUpdate();
        }
        catch (Exception ex)
        {
            _log.Error(ex, "GeoIP: checking {ConfigKey:l} {Path} for a new version failed", ConfigKey, Path);
        }
    }
}
