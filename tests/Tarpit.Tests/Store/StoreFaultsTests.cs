using Microsoft.Data.Sqlite;
using Tarpit.Store;

namespace Tarpit.Tests.Store;

/// <summary>Real SQLite errors, made for real on a file of the test, and the sentence each becomes.</summary>
public sealed class StoreFaultsTests : IDisposable
{
    private readonly TempStateDir _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public void A_write_lock_held_by_another_connection_is_database_is_locked()
    {
        Directory.CreateDirectory(_dir.Path);
        var path = Path.Combine(_dir.Path, "t.db");
        using var holder = Open(path, SqliteOpenMode.ReadWriteCreate);
        Execute(holder, "PRAGMA journal_mode = WAL; CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);");
        using var other = Open(path, SqliteOpenMode.ReadWrite);
        Execute(other, "PRAGMA busy_timeout = 0;");

        var ex = Assert.Throws<SqliteException>(() => Execute(other, "INSERT INTO t VALUES (2);"));

        Assert.Equal(StoreFault.Locked, StoreFaults.Of(ex));
        var fault = new StoreFaultException(StoreFault.Locked, path, ex);
        Assert.Equal(ExitCodes.StoreUnavailable, fault.ExitCode);
        Assert.StartsWith("database is locked: another process held a write lock on '" + path + "' for more than 10 s", fault.Message, StringComparison.Ordinal);
        Assert.EndsWith("; nothing was changed.", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_write_on_a_read_only_connection_is_the_store_is_read_only()
    {
        Directory.CreateDirectory(_dir.Path);
        var path = Path.Combine(_dir.Path, "t.db");
        using (var create = Open(path, SqliteOpenMode.ReadWriteCreate))
        {
            Execute(create, "CREATE TABLE t (x);");
        }

        using var readOnly = Open(path, SqliteOpenMode.ReadOnly);

        var ex = Assert.Throws<SqliteException>(() => Execute(readOnly, "INSERT INTO t VALUES (1);"));

        Assert.Equal(StoreFault.ReadOnly, StoreFaults.Of(ex));
        Assert.StartsWith("the store is read-only: ", new StoreFaultException(StoreFault.ReadOnly, path, ex).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_syntax_error_is_no_fault_of_the_operator()
    {
        Directory.CreateDirectory(_dir.Path);
        using var connection = Open(Path.Combine(_dir.Path, "t.db"), SqliteOpenMode.ReadWriteCreate);

        var ex = Assert.Throws<SqliteException>(() => Execute(connection, "SELEKT 1;"));

        Assert.Null(StoreFaults.Of(ex));
    }

    [Fact]
    public void Each_fault_has_its_one_name() =>
        Assert.Equal(
            ["database is locked", "disk is full", "the store is read-only", "disk I/O error"],
            Enum.GetValues<StoreFault>().Select(StoreFaults.Name));

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
