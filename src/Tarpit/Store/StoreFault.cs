namespace Tarpit.Store;

/// <summary>Why the state database refused a write, as far as the operator can fix it; anything else is a bug.</summary>
internal enum StoreFault
{
    /// <summary>SQLITE_BUSY / SQLITE_LOCKED: another writer held the database past <see cref="BanStore.BusyTimeout"/>.</summary>
    Locked,

    /// <summary>SQLITE_FULL: the filesystem (or its quota) has no room for the write.</summary>
    Full,

    /// <summary>SQLITE_READONLY: a read-only file, directory or mount.</summary>
    ReadOnly,

    /// <summary>SQLITE_IOERR / SQLITE_CANTOPEN: the file cannot be written (often a full disk on the WAL or shared-memory file).</summary>
    IoError,
}
