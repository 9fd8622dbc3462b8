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
            GeoLog.NewVersionUnusable(_log, ConfigKey, Path, problem);
        }
        else
        {
            GeoLog.FileUnusable(_log, ConfigKey, Path, problem);
        }

        return null;
    }

    private void ReportMissing(bool first)
    {
        if (first)
        {
            GeoLog.FileMissing(_log, ConfigKey, Path);
        }
        else if (IsLoaded)
        {
            GeoLog.FileDisappeared(_log, ConfigKey, Path);
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
            GeoLog.NotWatched(_log, directory, Path, ex.Message, pollInterval);
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
            GeoLog.UpdateCheckFailed(_log, ex, ConfigKey, Path);
        }
    }
}
