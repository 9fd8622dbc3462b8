using Microsoft.Data.Sqlite;
using Tarpit.Linux;

namespace Tarpit.Store;

/// <summary>Opening the store: writable, else read-only (a read-only mount or file), and writable again once it can be.</summary>
internal sealed partial class BanStore
{
    /// <summary>
    /// Opens (creating with mode 0700/0600 when missing, tightening to them when wider) and migrates the store in
    /// <paramref name="stateDir"/>. SQLite creates <c>-wal</c> and <c>-shm</c> with the database file's mode (os_unix.c,
    /// <c>findCreateFileMode</c> and <c>unixOpenSharedMemory</c>), so 0600 too. Run as root in a dir another user owns,
    /// every file operation of the store, the mode changes included, acts as that user (<see cref="StateDirOwner"/>).
    /// </summary>
    public static BanStore Open(string stateDir)
    {
        ArgumentNullException.ThrowIfNull(stateDir);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("tarpit-agent runs on Linux.");
        }

        FileSystemUserThread? fileThread = null;
        try
        {
            PrivateFiles.CreateDirectory(stateDir);
            fileThread = StateDirOwner.ActAs(stateDir);
            var path = System.IO.Path.Combine(stateDir, FileName);
            var modeChanges = OnFileThread(fileThread, IReadOnlyList<string> () =>
            {
                if (OperatingSystem.IsWindows())
                {
                    return [];
                }

                PrivateFiles.CreateFile(path);
                return PrivateFiles.Tighten(stateDir);
            });
            try
            {
                return OpenWritable(path, fileThread, modeChanges);
            }
            catch (Exception ex) when (ex is StoreFaultException { Fault: not StoreFault.Locked } || (ex is SqliteException sqlite && StoreFaults.Of(sqlite) is not (null or StoreFault.Locked)))
            {
                // A read-only file, directory or mount: the daemon still runs (holding its bans), `list` still reads.
                return OpenReadOnly(path, fileThread, modeChanges, ex);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException)
        {
            fileThread?.Dispose();
            var who = fileThread is { Owner: var owner }
                ? $"its owner (uid {owner.UserId}, gid {owner.GroupId}), as whom root opens them"
                : $"the agent (uid {EffectiveUser.Id})";
            throw new OperatorException(
                $"Cannot open the state database in '{stateDir}': {ex.Message.TrimEnd('.')}. Check agent.state_dir and that it and its files are writable by {who}.",
                ex);
        }
        catch
        {
            fileThread?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Set when the store could only be opened read-only (a read-only mount or file): why, for the daemon's warning.
    /// Every write then fails with <see cref="StoreFault.ReadOnly"/>.
    /// </summary>
    public string? ReadOnlyReason { get; private set; }

    /// <summary>How often a store opened read-only tries to open for writing again (before a write transaction).</summary>
    public static readonly TimeSpan WritableRetryInterval = TimeSpan.FromSeconds(5);

    private static BanStore OpenWritable(string path, FileSystemUserThread? fileThread, IReadOnlyList<string> modeChanges)
    {
        var store = new BanStore(path, fileThread) { ModeChanges = modeChanges };
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
            store.Close(disposeFileThread: false);
            throw;
        }

        return store;
    }

    /// <summary>
    /// The store opened read-only after <paramref name="writeFailure"/>: normally, else immutable (a WAL database in a
    /// read-only directory without its -shm file). Its schema must be current; else the write failure is rethrown.
    /// </summary>
    private static BanStore OpenReadOnly(string path, FileSystemUserThread? fileThread, IReadOnlyList<string> modeChanges, Exception writeFailure)
    {
        var said = (writeFailure.InnerException as SqliteException ?? writeFailure as SqliteException)?.Message ?? writeFailure.Message;
        var reason = $"{StoreFaults.Hint(StoreFault.ReadOnly, path)}; SQLite said: {said}";
        foreach (var immutable in (bool[])[false, true])
        {
            BanStore? store = null;
            try
            {
                store = new BanStore(path, fileThread, SqliteOpenMode.ReadOnly, immutable) { ModeChanges = modeChanges, ReadOnlyReason = reason };
                var current = store.Locked(StoreSchema.Version) == StoreSchema.LatestVersion;
                if (current)
                {
                    return store;
                }

                store.Close(disposeFileThread: false);
                break;
            }
            catch (Exception ex) when (ex is SqliteException or StoreFaultException)
            {
                store?.Close(disposeFileThread: false);
            }
        }

        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(writeFailure);
        throw writeFailure;
    }

    /// <summary>
    /// The exception for a fault; a read-only one marks the store for reopening: SQLite opens a file it cannot write
    /// read-only without a word (a WAL database whose -shm exists on a read-only mount), and decides that at open.
    /// </summary>
    private StoreFaultException Faulted(StoreFault fault, SqliteException ex)
    {
        var faulted = new StoreFaultException(fault, Path, ex);
        if (fault == StoreFault.ReadOnly)
        {
            ReadOnlyReason ??= faulted.Message;
        }

        return faulted;
    }

    /// <summary>
    /// A store opened read-only (<see cref="ReadOnlyReason"/>) tries, at most every <see cref="WritableRetryInterval"/>,
    /// to open for writing again: once the mount or file is fixed, the held bans are stored without a restart. Under the gate.
    /// </summary>
    private void TryBecomeWritable()
    {
        if (ReadOnlyReason is null || Environment.TickCount64 < Interlocked.Read(ref _nextWritableAttempt))
        {
            return;
        }

        Interlocked.Exchange(ref _nextWritableAttempt, Environment.TickCount64 + (long)WritableRetryInterval.TotalMilliseconds);
        var writable = new SqliteConnectionStringBuilder(_connectionString) { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
        try
        {
            var connection = OnFileThread(_fileThread, () =>
            {
                var opened = new SqliteConnection(writable);
                try
                {
                    opened.Open();
                    using (var pragma = opened.CreateCommand())
                    {
                        pragma.CommandText = $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA journal_mode = WAL;";
                        pragma.ExecuteNonQuery();
                    }

                    StoreSchema.Migrate(opened);
                    return opened;
                }
                catch
                {
                    opened.Dispose();
                    throw;
                }
            });
            var old = _connection;
            OnFileThread(_fileThread, () =>
            {
                ForgetStatements();
                return old;
            });
            _connection = connection;
            IndexInvalidated();
            _connectionString = writable;
            ReadOnlyReason = null;
            OnFileThread(_fileThread, () =>
            {
                SqliteConnection.ClearPool(old);
                old.Dispose();
                return old;
            });
        }
        catch (SqliteException)
        {
            // Still read-only: the write below fails with the fault, and the caller holds its bans.
        }
    }
}
