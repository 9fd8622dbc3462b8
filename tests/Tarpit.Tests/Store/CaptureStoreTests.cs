using System.Net;
using Microsoft.Extensions.Time.Testing;
using Serilog;
using Tarpit.Store;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tests.Store;

/// <summary>Issue 19 §2: request captures are stored as they are observed, read per address, pruned with the sessions.</summary>
public sealed class CaptureStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");

    [Fact]
    public void A_store_of_the_schema_before_captures_migrates_and_keeps_its_sessions()
    {
        using var dir = new TempStateDir();
        Directory.CreateDirectory(dir.Path);
        var before = Array.IndexOf(StoreSchema.Migrations, StoreSchema.Migrations.Single(m => m.Contains("CREATE TABLE IF NOT EXISTS captures", StringComparison.Ordinal)));
        using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir.Path, BanStore.FileName)};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = string.Join('\n', StoreSchema.Migrations[..before]) +
                "\nINSERT INTO sessions (address, tarpit, mode, original_port, started_at, ended_at, bytes_sent, verified, first_bytes) VALUES ('192.0.2.7', 'web', 'drip', 80, 0, 1, 5, 1, 'GET /');" +
                $"\nPRAGMA user_version = {before};";
            command.ExecuteNonQuery();
        }

        var store = BanStore.Open(dir.Path);
        store.AddCaptures([Capture(Now)]);

        using var connection = store.Connect();
        Assert.Equal(StoreSchema.LatestVersion, StoreSchema.Version(connection));
        Assert.Equal(1, store.SessionsOf(Client, 10).Count);
        Assert.Equal(1, store.CapturesOf(Client, 10).Count);
    }

    [Fact]
    public void Captures_are_read_newest_first_to_the_limit_with_the_count_of_all()
    {
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        store.AddCaptures([Capture(Now - TimeSpan.FromMinutes(2)), Capture(Now), Capture(Now - TimeSpan.FromMinutes(1)), Capture(Now, IPAddress.Parse("192.0.2.8"))]);

        var (latest, count) = store.CapturesOf(IPAddress.Parse("::ffff:192.0.2.7"), 2);

        Assert.Equal(3, count);
        Assert.Equal([Now, Now - TimeSpan.FromMinutes(1)], latest.Select(c => c.CapturedAt));
        Assert.All(latest, c => Assert.Equal(("web", "http", """{"method":"GET"}"""), (c.Tarpit, c.Protocol, c.Capture)));
    }

    [Fact]
    public async Task Captures_older_than_the_session_retention_are_pruned_with_the_sessions()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        store.AddCaptures([Capture(Now - TimeSpan.FromDays(31)), Capture(Now - TimeSpan.FromDays(30) - TimeSpan.FromMilliseconds(1)), Capture(Now - TimeSpan.FromDays(29))]);
        var retention = new StoreRetention(store, TimeSpan.FromDays(30), TimeSpan.FromDays(180), new FakeTimeProvider(Now), new LoggerConfiguration().CreateLogger());

        await retention.PruneAsync(cts.Token);

        Assert.Equal(2, retention.CapturesPruned);
        Assert.Equal([Now - TimeSpan.FromDays(29)], store.CapturesOf(Client, 10).Latest.Select(c => c.CapturedAt));
    }

    [Fact]
    public async Task The_session_writer_stores_a_capture_event_at_once_and_nothing_for_other_observations()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        var sink = new SessionStoreSink(store, new LoggerConfiguration().CreateLogger(), TimeProvider.System);
        var writer = sink.RunAsync(cts.Token);
        var details = new Dictionary<string, string> { [CaptureKeys.Tls] = """{"sni":"example.org"}""", ["auth.user"] = "root" };

        sink.Handle(Observed(1, CaptureKeys.Tls, details));
        sink.Handle(Observed(1, "auth.user", details));
        sink.Handle(Observed(2, CaptureKeys.Http, details)); // a key without its value: nothing to store
        sink.Handle(Observed(3, CaptureKeys.Tls, details) with { Proxy = new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.7"), 5000) }); // the trusted proxy itself
        sink.Complete();
        await writer;

        var capture = Assert.Single(store.CapturesOf(Client, 10).Latest);
        Assert.Equal(("tls", "tls", """{"sni":"example.org"}""", Now, Now - TimeSpan.FromSeconds(3)), (capture.Tarpit, capture.Protocol, capture.Capture, capture.CapturedAt, capture.ConnectionStartedAt));
        Assert.Equal(0, store.SessionsOf(Client, 10).Count);
    }

    private static ConnectionEvent Observed(long id, string key, Dictionary<string, string> details) => new(
        ConnectionEventKind.Observed, id, Now, "tls", "tls", "slow-hello", new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.7"), 40000), 443, 443,
        Decoy: false, Verified: true, FirstBytes: null, BytesSent: 0, Duration: TimeSpan.FromSeconds(3), Details: details)
    {
        ObservedKey = key,
    };

    private static CaptureRecord Capture(DateTimeOffset at, IPAddress? address = null) =>
        new(address ?? Client, "web", "http", at, at - TimeSpan.FromSeconds(1), """{"method":"GET"}""");
}
