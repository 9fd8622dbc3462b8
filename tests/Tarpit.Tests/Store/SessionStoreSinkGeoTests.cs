using System.Net;
using Serilog;
using Tarpit.Store;
using Tarpit.Tarpits.Events;
using Tarpit.Tests.Geo;

namespace Tarpit.Tests.Store;

public sealed class SessionStoreSinkGeoTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_session_row_carries_the_country_and_asn_of_its_address_or_null_when_unknown()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var dir = new TempStateDir();
        using var geo = new GeoFixture();
        using var lookup = geo.Open(geo.Install(GeoFixture.City), geo.Install(GeoFixture.Asn));
        var store = BanStore.Open(dir.Path);
        var sink = new SessionStoreSink(store, new LoggerConfiguration().CreateLogger(), TimeProvider.System, lookup);
        var writer = sink.RunAsync(cts.Token);

        sink.Handle(Closed(1, "::ffff:192.0.2.7"));
        sink.Handle(Closed(2, "2001:db8:9::1"));
        sink.Complete();
        await writer;

        Assert.Equal(
            [("192.0.2.7", "NL", 64500L), ("2001:db8:9::1", null, null)],
            Rows(store));
    }

    [Fact]
    public void A_store_of_schema_version_1_gains_the_session_geo_columns_and_keeps_its_rows()
    {
        using var dir = new TempStateDir();
        Directory.CreateDirectory(dir.Path);
        using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir.Path, BanStore.FileName)};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = StoreSchema.Migrations[0] +
                "\nINSERT INTO sessions (address, tarpit, mode, original_port, started_at, ended_at, bytes_sent, verified, first_bytes) VALUES ('192.0.2.7', 'ssh', 'm', 22, 0, 1, 5, 1, NULL);" +
                "\nPRAGMA user_version = 1;";
            command.ExecuteNonQuery();
        }

        var store = BanStore.Open(dir.Path);

        using var connection = store.Connect();
        Assert.Equal(StoreSchema.LatestVersion, StoreSchema.Version(connection));
        Assert.Equal([("192.0.2.7", null, null)], Rows(store));
    }

    private static List<(string Address, string? CountryCode, long? Asn)> Rows(BanStore store)
    {
        using var connection = store.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT address, country_code, asn FROM sessions ORDER BY id;";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string?, long?)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2)));
        }

        return rows;
    }

    private static ConnectionEvent Closed(long id, string address) => new(
        ConnectionEventKind.Closed, id, Now, "ssh", "ssh", "endless-banner", new IPEndPoint(IPAddress.Parse(address), 40000), 2222, 22,
        Decoy: false, Verified: true, FirstBytes: "SSH-2.0-libssh", BytesSent: 1024, Duration: TimeSpan.FromMinutes(10));
}
