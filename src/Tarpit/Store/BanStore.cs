using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Tarpit.Linux;
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

    private string _connectionString;
    private readonly Lock _gate = new();
    private readonly FileSystemUserThread? _fileThread;
    private SqliteConnection _connection;
    private SqliteTransaction? _transaction;
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private long _nextWritableAttempt;

    private BanStore(string path, FileSystemUserThread? fileThread, SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate, bool immutable = false)
    {
        Path = path;
        _fileThread = fileThread;
        _connectionString = new SqliteConnectionStringBuilder
        {
            // immutable=1 (a URI filename): read a WAL database whose directory cannot take its -shm file.
            DataSource = immutable ? new Uri(path).AbsoluteUri + "?immutable=1" : path,
            Mode = mode,
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
    /// A new connection of its own (tests, and a second view of the file); the store's calls use the shared one. It is
    /// opened on the store's file thread, but its later statements run on whichever thread uses it.
    /// </summary>
    internal SqliteConnection Connect() => OnFileThread(_fileThread, () =>
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    });

    /// <summary>
    /// Runs <paramref name="action"/> (which calls this store's methods) in one write transaction on the shared
    /// connection: one commit for many bans in a burst. Other callers wait until it commits; if it throws, nothing
    /// it wrote is kept. The action itself runs on the caller's thread; only the SQLite work goes to the store's. A
    /// fault the operator can fix (locked, full, read-only) is thrown as <see cref="StoreFaultException"/>.
    /// </summary>
    public T RunInTransaction<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (Metrics is not { } metrics)
        {
            return RunInTransactionCore(action);
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            var result = RunInTransactionCore(action);
            failed = false;
            return result;
        }
        finally
        {
            metrics.StoreWrite(System.Diagnostics.Stopwatch.GetElapsedTime(started), failed);
        }
    }

    /// <summary>Times every write transaction when the daemon exports metrics; null for the verbs.</summary>
    public Metrics.AgentMetrics? Metrics { get; set; }

    private T RunInTransactionCore<T>(Func<T> action)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            TryBecomeWritable();
            try
            {
                var transaction = OnFileThread(_fileThread, () => _connection.BeginTransaction(deferred: false));
                _transaction = transaction;
                _indexCheckedInTransaction = false;
                try
                {
                    var result = action();
                    OnFileThread(_fileThread, () =>
                    {
                        transaction.Commit();
                        return transaction;
                    });
                    return result;
                }
                finally
                {
                    _transaction = null;
                    OnFileThread(_fileThread, () =>
                    {
                        transaction.Dispose();
                        return transaction;
                    });
                }
            }
            catch (SqliteException ex) when (StoreFaults.Of(ex) is { } fault)
            {
                throw Faulted(fault, ex);
            }
        }
    }

    /// <summary>
    /// Closes the shared connection (waiting for a call in progress) and drops the pooled ones for this file, so the
    /// database and its WAL are closed when the daemon or a verb ends. Calls after this throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose() => Close(disposeFileThread: true);

    /// <summary>Closes the connection; the file thread too unless another open attempt goes on with it.</summary>
    private void Close(bool disposeFileThread)
    {
        lock (_gate)
        {
            if (IsDisposed)
            {
                return;
            }

            IsDisposed = true;
            OnFileThread(_fileThread, () =>
            {
                ForgetStatements();
                SqliteConnection.ClearPool(_connection);
                _connection.Dispose();
                return _connection;
            });
            if (disposeFileThread)
            {
                _fileThread?.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the shared connection, one caller at a time, on the store's file thread when
    /// it has one (a call from within another one's action is already there, and holds the gate).
    /// </summary>
    private T Locked<T>(Func<SqliteConnection, T> action)
    {
        if (_fileThread?.IsCurrent == true)
        {
            return action(_connection);
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            try
            {
                return OnFileThread(_fileThread, () => action(_connection));
            }
            catch (SqliteException ex) when (StoreFaults.Of(ex) is { } fault)
            {
                throw Faulted(fault, ex);
            }
        }
    }

    /// <summary>
    /// The shared connection's command for <paramref name="sql"/> (a fixed text; values go in its parameters, which
    /// start empty): SQLite parses and plans a statement once and the command keeps it prepared, where a new command
    /// per call parsed it again every time (perf of a 10,000-offender burst: the parser and planner were a third of
    /// the store's time). Only inside <see cref="Locked{T}"/>, on the shared connection; the caller never disposes it.
    /// </summary>
    private SqliteCommand Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _statements.Add(sql, command);
        }

        command.Parameters.Clear();
        command.Transaction = _transaction;
        return command;
    }

    /// <summary>Disposes the prepared statements, raw ones too (the connection they belong to is closing or being replaced).</summary>
    private void ForgetStatements()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }

        _statements.Clear();
        ForgetRawStatements();
    }

    /// <summary>Runs <paramref name="action"/> on <paramref name="fileThread"/>, or here when there is none.</summary>
    private static T OnFileThread<T>(FileSystemUserThread? fileThread, Func<T> action) =>
        fileThread is null ? action() : fileThread.Run(action);


    internal static long ToUnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    internal static object ToDb(DateTimeOffset? time) => time is { } t ? t.ToUnixTimeMilliseconds() : DBNull.Value;

    internal static object ToDb(TimeSpan? span) => span is { } s ? (long)s.TotalMilliseconds : DBNull.Value;

    internal static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    internal static string Key(IPNetwork target) => target.ToString();

    internal static IPNetwork ParseKey(string text) => NetworkText.Parse(text);

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
