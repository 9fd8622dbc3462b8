using Microsoft.Data.Sqlite;

namespace Tarpit.Store;

/// <summary>How a SQLite error maps to a <see cref="StoreFault"/> and the one sentence an operator reads.</summary>
internal static class StoreFaults
{
    // sqlite3.h primary result codes (the low byte of an extended code).
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;

    /// <summary>The fault behind <paramref name="ex"/>, or null when it is not one the operator can fix (a bug).</summary>
    public static StoreFault? Of(SqliteException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return (ex.SqliteErrorCode & 0xFF) switch
        {
            SqliteBusy or SqliteLocked => StoreFault.Locked,
            SqliteFull => StoreFault.Full,
            SqliteReadOnly => StoreFault.ReadOnly,
            SqliteIoError or SqliteCantOpen => StoreFault.IoError,
            _ => null,
        };
    }

    /// <summary>The short name of the fault, as SQLite says it: <c>database is locked</c>, <c>disk is full</c>, …</summary>
    public static string Name(StoreFault fault) => fault switch
    {
        StoreFault.Locked => "database is locked",
        StoreFault.Full => "disk is full",
        StoreFault.ReadOnly => "the store is read-only",
        _ => "disk I/O error",
    };

    /// <summary>What to do about it, for the end of the sentence.</summary>
    public static string Hint(StoreFault fault, string path) => fault switch
    {
        StoreFault.Locked => $"another process held a write lock on '{path}' for more than {BanStore.BusyTimeout.TotalSeconds:0} s (find it with: fuser '{path}')",
        StoreFault.Full => $"the filesystem of '{path}' has no room left (free some: df -h '{Path.GetDirectoryName(path)}')",
        StoreFault.ReadOnly => $"'{path}' or its directory cannot be written (a read-only mount or file attribute; check: findmnt -T '{Path.GetDirectoryName(path)}', lsattr '{path}')",
        _ => $"SQLite could not write '{path}' or its -wal/-shm files (a full or failing disk)",
    };
}
