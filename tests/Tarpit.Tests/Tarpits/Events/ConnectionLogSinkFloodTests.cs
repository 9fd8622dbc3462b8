using System.Net;
using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tests.Tarpits.Events;

/// <summary>Issue 13, item 7: a connection flood is summarised, so it cannot push the ban lines out of the journal.</summary>
public sealed class ConnectionLogSinkFloodTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Thousands_of_scanner_connections_make_one_summary_line_per_interval()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var time = new FakeTimeProvider(Start);
        var log = new CollectingLogSink();
        var sink = new ConnectionLogSink(log.CreateLogger(), time: time);
        var run = sink.RunAsync(cts.Token);

        // 36,000 connections from 40 addresses over three minutes (one every 5 ms), ssh and http alternating.
        for (var i = 0; i < 36_000; i++)
        {
            sink.Handle(Closed(i, $"192.0.2.{i % 40}", i % 2 == 0 ? "ssh" : "http", verified: false));
            time.Advance(TimeSpan.FromMilliseconds(5));
        }

        sink.Complete();
        await run.WaitAsync(cts.Token);

        var lines = log.Events.Where(e => e.Level == LogEventLevel.Information).ToList();
        Assert.InRange(lines.Count, 3, 4);
        Assert.All(lines, l => Assert.StartsWith("Held {Connections} connections", l.MessageTemplate.Text, StringComparison.Ordinal));
        Assert.Equal(36_000, lines.Sum(l => (long)((ScalarValue)l.Properties["Connections"]).Value!));
        Assert.Equal("\"40\"", lines[0].Properties["Addresses"].ToString());
        Assert.Equal("\"http 6000, ssh 6000\"", lines[0].Properties["ByProtocol"].ToString());
    }

    [Fact]
    public async Task Verified_and_banned_clients_keep_their_own_lines_up_to_the_cap_and_the_rest_are_counted()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var time = new FakeTimeProvider(Start);
        var log = new CollectingLogSink();
        var sink = new ConnectionLogSink(log.CreateLogger(), time: time);
        var run = sink.RunAsync(cts.Token);

        // 2,000 verified connections within one interval.
        for (var i = 0; i < 2_000; i++)
        {
            sink.Handle(Closed(i, "198.51.100.7", "ssh", verified: true));
        }

        sink.Complete();
        await run.WaitAsync(cts.Token);

        var released = log.Events.Count(e => e.MessageTemplate.Text.StartsWith("Released", StringComparison.Ordinal));
        Assert.Equal(ConnectionLogSink.MaxLinesPerInterval, released);
        var summary = Assert.Single(log.Events, e => e.MessageTemplate.Text.StartsWith("Held", StringComparison.Ordinal));
        Assert.Equal((2_000L - ConnectionLogSink.MaxLinesPerInterval).ToString(System.Globalization.CultureInfo.InvariantCulture), summary.Properties["Suppressed"].ToString());
    }

    [Fact]
    public async Task A_quiet_interval_writes_no_summary()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var time = new FakeTimeProvider(Start);
        var log = new CollectingLogSink();
        var sink = new ConnectionLogSink(log.CreateLogger(), time: time);
        var run = sink.RunAsync(cts.Token);

        sink.Handle(Closed(1, "192.0.2.1", "ssh", verified: true));
        time.Advance(ConnectionLogSink.SummaryInterval * 3);
        sink.Complete();
        await run.WaitAsync(cts.Token);

        Assert.Single(log.Events);
    }

    private static ConnectionEvent Closed(long id, string address, string protocol, bool verified) => new(
        ConnectionEventKind.Closed, id, Start, protocol, protocol, "test", new IPEndPoint(IPAddress.Parse(address), 40000), 2222, 2222,
        Decoy: false, Verified: verified, FirstBytes: null, BytesSent: 10, Duration: TimeSpan.FromSeconds(1));
}
