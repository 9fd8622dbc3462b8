using Serilog.Events;
using Tarpit.Tarpits.Events;
using Tarpit.Tests.Geo;

namespace Tarpit.Tests.Tarpits.Events;

public sealed class ConnectionLogSinkTests
{
    [Fact]
    public void A_finished_connection_is_summarised_in_one_Information_line()
    {
        var log = new CollectingLogSink();
        var sink = new ConnectionLogSink(log.CreateLogger());

        sink.Handle(ConnectionEventsTests.Event(9, ConnectionEventKind.Closed));

        var line = Assert.Single(log.Rendered(LogEventLevel.Information));
        Assert.Equal(
            "Released 192.0.2.7:40000 from test (ssh/test-drip) after 61500 ms, 1234 bytes sent, original port 22, verified true, first bytes SSH-2.0-libssh\\x0d\\x0a",
            line);
        Assert.Equal("9", Assert.Single(log.Events).Properties["ConnectionId"].ToString());
    }

    [Fact]
    public void Opened_and_Verified_are_logged_at_Debug_only()
    {
        var log = new CollectingLogSink();
        var sink = new ConnectionLogSink(log.CreateLogger());

        sink.Handle(ConnectionEventsTests.Event(9, ConnectionEventKind.Opened));
        sink.Handle(ConnectionEventsTests.Event(9, ConnectionEventKind.Verified));

        Assert.Equal([LogEventLevel.Debug, LogEventLevel.Debug], log.Events.Select(e => e.Level));
    }

    [Fact]
    public void With_geoip_the_finished_connection_carries_country_asn_and_organisation()
    {
        using var geo = new GeoFixture();
        using var lookup = geo.Open(geo.Install(GeoFixture.City), geo.Install(GeoFixture.Asn));
        var log = new CollectingLogSink();
        var sink = new ConnectionLogSink(log.CreateLogger(), lookup);

        sink.Handle(ConnectionEventsTests.Event(9, ConnectionEventKind.Opened));
        sink.Handle(ConnectionEventsTests.Event(9, ConnectionEventKind.Closed));

        Assert.All(log.Events, e => Assert.Equal(
            ("\"NL\"", "64500", "\"Example Attackers BV\""),
            (e.Properties["CountryCode"].ToString(), e.Properties["Asn"].ToString(), e.Properties["AsnOrganization"].ToString())));
        Assert.Equal(2, log.Events.Count);
    }

    [Fact]
    public void The_event_file_gets_a_capture_when_observed()
    {
        var log = new CollectingLogSink();
        var sink = new ConnectionLogSink(log.CreateLogger());
        var details = new Dictionary<string, string> { [Tarpit.Tarpits.CaptureKeys.Http] = """{"request":1,"method":"GET"}""" };

        sink.Handle(ConnectionEventsTests.Event(9, ConnectionEventKind.Observed) with { Details = details, ObservedKey = Tarpit.Tarpits.CaptureKeys.Http });

        var line = Assert.Single(log.Events);
        Assert.Equal(LogEventLevel.Debug, line.Level);
        Assert.Contains("\\\"method\\\":\\\"GET\\\"", line.Properties["Details"].ToString(), StringComparison.Ordinal);
    }
}
