using System.Net;
using Tarpit.Store;

namespace Tarpit.Tests.Store;

/// <summary>The store keeps one connection: the daemon's tasks share it, and a CLI verb's store works beside it.</summary>
public sealed class BanStoreSharingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_daemon_store_and_a_cli_verb_store_on_one_file_see_each_others_writes()
    {
        using var dir = new TempStateDir();
        var daemon = BanStore.Open(dir.Path);
        daemon.Insert(BanStoreTests.Ban("192.0.2.2/32", TimeSpan.FromHours(1)));

        var verb = BanStore.Open(dir.Path);
        verb.Insert(BanStoreTests.Ban("192.0.2.3/32", TimeSpan.FromHours(1)));
        daemon.Insert(BanStoreTests.Ban("192.0.2.4/32", TimeSpan.FromHours(1)));

        string[] expected = ["192.0.2.2/32", "192.0.2.3/32", "192.0.2.4/32"];
        Assert.Equal(expected, daemon.Active(Now).Select(b => b.Target.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(expected, verb.Active(Now).Select(b => b.Target.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_write_waits_for_another_process_write_transaction_instead_of_failing()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        using var other = store.Connect();
        using var transaction = other.BeginTransaction();
        using (var command = other.CreateCommand())
        {
            command.CommandText = "UPDATE bans SET reason = 'held' WHERE id = -1;";
            command.ExecuteNonQuery();
        }

        var insert = Task.Run(() => store.Insert(BanStoreTests.Ban("192.0.2.2/32", TimeSpan.FromHours(1))), cts.Token);
        await Task.Delay(TimeSpan.FromMilliseconds(200), cts.Token);
        var waited = !insert.IsCompleted;
        transaction.Commit();
        var stored = await insert.WaitAsync(cts.Token);

        Assert.True(waited, "the insert did not wait for the other write transaction");
        Assert.Equal(stored.Id, Assert.Single(store.Active(Now)).Id);
    }

    [Fact]
    public async Task Many_tasks_share_one_store_and_every_write_lands()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        const int Tasks = 8;
        const int BansPerTask = 50;

        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(
            () =>
            {
                for (var i = 0; i < BansPerTask; i++)
                {
                    var target = new IPNetwork(new IPAddress([10, 0, (byte)t, (byte)i]), 32);
                    store.Insert(BanStoreTests.Ban(target.ToString(), TimeSpan.FromHours(1)));
                    Assert.Single(store.Covering(target, Now));
                }
            },
            cts.Token)));

        Assert.Equal(Tasks * BansPerTask, store.Active(Now).Count);
    }
}
