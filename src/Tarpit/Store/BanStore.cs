using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Tarpit.Net;

namespace Tarpit.Store;

/// <summary>
/// Bans and tarpit sessions in SQLite (<c>state_dir/tarpit.db</c>). WAL and a busy timeout let the daemon and the CLI
/// verbs use it side by side. The store keeps one open connection, its PRAGMAs set once, and serialises calls on it
/// with a lock, so it is safe to share across tasks: opening a pooled connection per call re-ran the PRAGMAs every
/// time and was most of the cost of a burst of bans. Whoever opens it disposes it, which closes that connection.
/// </summary>
internal sealed partial class BanStore : IDisposable
{
    public const string FileName = "tarpit.db";

    /// <summary>How long a writer waits for another process's write to finish before failing.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    private readonly string _connectionString;
    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;

    private BanStore(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
        _connection = Connect();
    }

    public string Path { get; }

    /// <summary>What <see cref="Open"/> took group and other permissions away from (see <see cref="PrivateFiles"/>), for the caller to log once.</summary>
    public IReadOnlyList<string> ModeChanges { get; private init; } = [];

    /// <summary>True once <see cref="Dispose"/> has closed the shared connection.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>
    /// Opens (creating with mode 0700/0600 when missing, tightening to them when wider) and migrates the store in
    /// <paramref name="stateDir"/>. SQLite creates <c>-wal</c> and <c>-shm</c> with the database file's mode (os_unix.c,
    /// <c>findCreateFileMode</c> and <c>unixOpenSharedMemory</c>), so 0600 too.
    /// </summary>
    public static BanStore Open(string stateDir)
    {
        ArgumentNullException.ThrowIfNull(stateDir);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("tarpit-agent runs on Linux.");
        }

        try
        {
            PrivateFiles.CreateDirectory(stateDir);
            var path = System.IO.Path.Combine(stateDir, FileName);
            if (PrivateFiles.CreateFile(path))
            {
                StateDirOwner.Adopt(stateDir, path);
            }

            var modeChanges = PrivateFiles.Tighten(stateDir);
            var store = new BanStore(path) { ModeChanges = modeChanges };
            try
            {
                store.Locked(connection =>
                {
                    using (var wal = connection.CreateCommand())
                    {
                        wal.CommandText = "PRAGMA journal_mode = WAL;";
                        wal.ExecuteNonQuery();
                    }

                    StoreSchema.Migrate(connection);
                    return connection;
                });
            }
            catch
            {
                store.Dispose();
                throw;
            }

            return store;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException)
        {
            throw new OperatorException(
                $"Cannot open the state database in '{stateDir}': {ex.Message}. Check agent.state_dir and that it is writable by the agent (root).",
                ex);
        }
    }

    /// <summary>A new connection of its own (tests, and a second view of the file); the store's calls use the shared one.</summary>
    internal SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="action"/> (which calls this store's methods) in one write transaction on the shared
    /// connection: one commit for many bans in a burst. Other callers wait until it commits; if it throws, nothing
    /// it wrote is kept.
    /// </summary>
    public T RunInTransaction<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            using var transaction = _connection.BeginTransaction(deferred: false);
            var result = action();
            transaction.Commit();
            return result;
        }
    }

    /// <summary>
    /// Closes the shared connection (waiting for a call in progress) and drops the pooled ones for this file, so the
    /// database and its WAL are closed when the daemon or a verb ends. Calls after this throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (IsDisposed)
            {
                return;
            }

            IsDisposed = true;
            SqliteConnection.ClearPool(_connection);
            _connection.Dispose();
        }
    }

    /// <summary>Runs <paramref name="action"/> on the shared connection, one caller at a time.</summary>
    private T Locked<T>(Func<SqliteConnection, T> action)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return action(_connection);
        }
    }

    internal static long ToUnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    internal static object ToDb(DateTimeOffset? time) => time is { } t ? t.ToUnixTimeMilliseconds() : DBNull.Value;

    internal static object ToDb(TimeSpan? span) => span is { } s ? (long)s.TotalMilliseconds : DBNull.Value;

    internal static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    internal static string Key(IPNetwork target) => target.ToString();

    internal static IPNetwork ParseKey(string text) => NetworkText.Parse(text);

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
