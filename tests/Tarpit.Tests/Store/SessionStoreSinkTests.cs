using System.Net;
using Serilog;
using Tarpit.Store;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tests.Store;

public sealed class SessionStoreSinkTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Closed_events_are_written_in_the_background_and_other_events_are_ignored()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        store.Insert(BanStoreTests.Ban("192.0.2.2/32", TimeSpan.FromHours(1)));
        var sink = new SessionStoreSink(store, new LoggerConfiguration().CreateLogger(), TimeProvider.System);
        var writer = sink.RunAsync(cts.Token);

        sink.Handle(Event(ConnectionEventKind.Opened, 1));
        sink.Handle(Event(ConnectionEventKind.Closed, 1));
        sink.Handle(Event(ConnectionEventKind.Closed, 2));
        sink.Complete();
        await writer;

        var row = Assert.Single(store.List(all: false, Now));
        Assert.Equal((2, TimeSpan.FromMinutes(20), 2048L), (row.Sessions, row.TimeTrapped, row.BytesSent));
        Assert.Equal(0, sink.Dropped);
    }

    [Fact]
    public async Task Every_session_queued_before_completion_is_written_even_beyond_one_batch()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        var sink = new SessionStoreSink(store, new LoggerConfiguration().CreateLogger(), TimeProvider.System);

        for (var i = 0; i < SessionStoreSink.MaxBatch * 2 + 1; i++)
        {
            sink.Handle(Event(ConnectionEventKind.Closed, i));
        }

        var writer = sink.RunAsync(cts.Token);
        sink.Complete();
        await writer;

        using var connection = store.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sessions;";
        Assert.Equal((long)(SessionStoreSink.MaxBatch * 2 + 1), (long)command.ExecuteScalar()!);
    }

    [Fact]
    public void A_full_queue_drops_and_counts_instead_of_blocking_the_dispatcher()
    {
        using var dir = new TempStateDir();
        var sink = new SessionStoreSink(BanStore.Open(dir.Path), new LoggerConfiguration().CreateLogger(), TimeProvider.System);

        for (var i = 0; i <= SessionStoreSink.QueueCapacity; i++)
        {
            sink.Handle(Event(ConnectionEventKind.Closed, i));
        }

        Assert.Equal(1, sink.Dropped);
    }

    [Fact]
    public async Task A_scanner_flood_from_one_address_is_capped_per_interval_while_verified_sessions_are_all_stored()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        var sink = new SessionStoreSink(store, new LoggerConfiguration().CreateLogger(), time);

        // 5,000 unverified connections from one address in two intervals, and 100 verified ones.
        for (var i = 0; i < 5_000; i++)
        {
            sink.Handle(Event(ConnectionEventKind.Closed, i) with { Verified = false, OriginalPort = 2222 });
            if (i == 2_500)
            {
                time.Advance(SessionStoreSink.ScannerInterval);
            }
        }

        for (var i = 0; i < 100; i++)
        {
            sink.Handle(Event(ConnectionEventKind.Closed, 10_000 + i));
        }

        var writer = sink.RunAsync(cts.Token);
        sink.Complete();
        await writer;

        Assert.Equal(2 * SessionStoreSink.MaxScannerRowsPerAddress + 100, store.SessionCount());
        Assert.Equal(5_000 - 2 * SessionStoreSink.MaxScannerRowsPerAddress, sink.Skipped);
    }

    private static ConnectionEvent Event(ConnectionEventKind kind, long id) => new(
        kind, id, Now, "ssh", "ssh", "endless-banner", new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.2"), 40000 + (int)(id % 20000)), 2222, 22,
        Decoy: false, Verified: true, FirstBytes: "SSH-2.0-libssh", BytesSent: 1024, Duration: TimeSpan.FromMinutes(10));
}
