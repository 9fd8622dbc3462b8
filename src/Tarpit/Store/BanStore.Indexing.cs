namespace Tarpit.Store;

internal sealed partial class BanStore
{
    /// <summary>The daemon's index of stored targets; null where none is kept (the verbs).</summary>
    private TargetIndex? _index;

    /// <summary>The index was brought up to date inside the write transaction in progress.</summary>
    private bool _indexCheckedInTransaction;

    /// <summary>From now on, keeps a <see cref="TargetIndex"/> of every stored target (the daemon: it bans in bursts).</summary>
    public void IndexTargets() => Locked(_ => _index ??= new TargetIndex());

    /// <summary>Targets in the index, brought up to date (tests).</summary>
    public int IndexedTargets() => Locked(_ => CurrentIndex()?.Count ?? 0);

    /// <summary>
    /// Inside <see cref="Locked{T}"/>: the index, brought up to date with what other connections committed (their new
    /// rows, by id), or built again after rows left the table; null when none is kept.
    /// </summary>
    private TargetIndex? CurrentIndex()
    {
        if (_index is not { } index)
        {
            return null;
        }

        // In a write transaction no other connection can commit (BEGIN IMMEDIATE holds the write lock), so its first
        // look is good until the commit: a burst's transaction asks SQLite once, not once per lookup of every ban.
        var version = _transaction is not null && _indexCheckedInTransaction ? index.DataVersion : DataVersionRaw();
        _indexCheckedInTransaction = _transaction is not null;
        if (index.Stale)
        {
            index.Clear();
            ReadTargets(index);
            index.Stale = false;
        }
        else if (version != index.DataVersion)
        {
            ReadTargets(index);
        }

        index.DataVersion = version;
        return index;
    }

    private void ReadTargets(TargetIndex index)
    {
        var command = Statement("SELECT id, target FROM bans WHERE id > $after ORDER BY id;");
        command.Parameters.AddWithValue("$after", index.LastId);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            index.Add(ParseKey(reader.GetString(1)));
            index.LastId = reader.GetInt64(0);
        }
    }

    /// <summary>Rows left the table (retention) or the connection was replaced: the index is built again on its next use.</summary>
    private void IndexInvalidated()
    {
        if (_index is { } index)
        {
            index.Stale = true;
        }
    }
}
