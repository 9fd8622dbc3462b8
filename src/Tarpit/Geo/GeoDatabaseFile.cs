using System.Net;
using MaxMind.Db;
using Serilog;

namespace Tarpit.Geo;

/// <summary>
/// One configured database file (<c>geoip.city_db</c> or <c>geoip.asn_db</c>) and the reader currently serving it.
/// A missing, unreadable, corrupt or wrong-type file is a Warning naming the file and the error; lookups then get
/// nothing from it. The file is watched: when geoipupdate renames a new version over it (or it first appears), the new
/// reader is swapped in atomically and the old one is disposed after the lookups still using it finish.
/// </summary>
/// <remarks>
/// The reader is memory-mapped (<see cref="FileAccessMode.MemoryMapped"/>), so replace the file by renaming a complete
/// new file over it, as geoipupdate does. Copying over it in place rewrites pages the running reader maps.
/// </remarks>
internal sealed partial class GeoDatabaseFile : IDisposable
{
    private readonly Lock _reloadGate = new();
    private readonly GeoDatabaseRole _role;
    private readonly ILogger _log;
    private readonly Action _reloaded;
    private readonly FileSystemWatcher? _watcher;
    private readonly ITimer _pollTimer;
    private GeoReaderHandle? _current;
    private GeoFileStamp? _lastSeen;
    private bool _checked;
    private bool _disposed;

    /// <summary>Opens <paramref name="path"/> now (warning, not failing, when it cannot) and starts watching it.</summary>
    /// <param name="reloaded">Called after a new reader is in place (the owner drops its cached answers).</param>
    public GeoDatabaseFile(
        string path,
        GeoDatabaseRole role,
        ILogger log,
        TimeProvider time,
        GeoLookupOptions options,
        Action reloaded)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reloaded);
        Path = System.IO.Path.GetFullPath(path);
        _role = role;
        _log = log;
        _reloaded = reloaded;
        // Watch first, then load: a replacement landing in between is then seen rather than left to the slow check.
        _watcher = options.WatchDirectories ? StartWatcher(options.PollInterval) : null;
        CheckForUpdate();
        _pollTimer = time.CreateTimer(_ => CheckGuarded(), null, options.PollInterval, options.PollInterval);
    }

    /// <summary>The absolute path of the file.</summary>
    public string Path { get; }

    /// <summary>The config key the file came from, for messages: <c>geoip.city_db</c> or <c>geoip.asn_db</c>.</summary>
    public string ConfigKey => _role is GeoDatabaseRole.Location ? "geoip.city_db" : "geoip.asn_db";

    /// <summary>True while a readable database of the right type is loaded.</summary>
    public bool IsLoaded => Volatile.Read(ref _current) is not null;

    /// <summary>
    /// Runs <paramref name="query"/> against the current reader, holding it so a concurrent reload cannot dispose it
    /// mid-lookup. Null when nothing is loaded or the database is corrupt where the lookup went.
    /// </summary>
    public T? Query<T>(IPAddress address, Func<GeoReaderHandle, IPAddress, T?> query)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(query);
        GeoReaderHandle? handle;
        do
        {
            handle = Volatile.Read(ref _current);
            if (handle is null)
            {
                return null;
            }
        }
        while (!handle.TryAcquire());

        try
        {
            return query(handle, address);
        }
        catch (DeserializationException ex)
        {
            // The record decoded but does not fit the response type (a key of an unexpected type, or a constructor the
            // trimmer removed): not evidence that the file is damaged, so say what happened instead.
            if (handle.TryClaimCorruptionReport())
            {
                GeoLog.RecordNotDecoded(_log, ConfigKey, Path, ex.Message);
            }

            return null;
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            if (handle.TryClaimCorruptionReport())
            {
                GeoLog.FileCorrupt(_log, ConfigKey, Path, ex.Message);
            }

            return null;
        }
        finally
        {
            handle.Release();
        }
    }

    /// <summary>
    /// Compares the file's inode, size and time with the last check and, when they changed, opens the new version.
    /// A version that cannot be opened is a Warning and the previous reader (if any) keeps serving.
    /// </summary>
    public void CheckForUpdate()
    {
        lock (_reloadGate)
        {
            if (_disposed)
            {
                return;
            }

            GeoFileStamp? stamp;
            try
            {
                stamp = GeoFileStamp.Read(Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                GeoLog.FileNotRead(_log, ConfigKey, Path, ex.Message);
                return;
            }

            var first = !_checked;
            if (!first && stamp == _lastSeen)
            {
                return;
            }

            _checked = true;
            _lastSeen = stamp;
            if (stamp is null)
            {
                ReportMissing(first);
                return;
            }

            if (TryOpen() is not { } opened)
            {
                return;
            }

            var previous = Interlocked.Exchange(ref _current, opened);
            previous?.Release();
            GeoLog.Loaded(_log, previous is not null, ConfigKey, Path, opened.DatabaseType, opened.Reader.Metadata.BuildDate);
            _reloaded();
        }
    }

    public void Dispose()
    {
        lock (_reloadGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _watcher?.Dispose();
        _pollTimer.Dispose();
        Interlocked.Exchange(ref _current, null)?.Release();
    }
}
