using System.Net;
using Serilog.Core;
using Tarpit.Detection;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tests.Detection;

public sealed class DetectionEventSinkTests
{
    [Fact]
    public async Task A_direct_connection_to_a_decoy_bans_on_the_first_hit()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bans = new RecordingBanService();
        var sink = new DetectionEventSink(bans, Logger.None, TimeProvider.System);
        var running = sink.RunAsync(cts.Token);

        sink.Handle(Event("192.0.2.1", localPort: 2222, originalPort: null, decoy: true));
        await bans.WaitAsync(cts.Token);
        sink.Complete();
        await running;

        var request = Assert.Single(bans.Requests);
        Assert.Equal(IPNetwork.Parse("192.0.2.1/32"), request.Target);
        Assert.Equal("decoy", request.Source);
        Assert.Empty(bans.Refreshes);
    }

    [Fact]
    public async Task A_connection_through_a_redirect_refreshes_the_ban_and_does_not_ban_again()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bans = new RecordingBanService();
        var sink = new DetectionEventSink(bans, Logger.None, TimeProvider.System);
        var running = sink.RunAsync(cts.Token);

        sink.Handle(Event("::ffff:192.0.2.2", localPort: 2222, originalPort: 22, decoy: true));
        await bans.WaitAsync(cts.Token);
        sink.Complete();
        await running;

        Assert.Equal(IPAddress.Parse("192.0.2.2"), Assert.Single(bans.Refreshes));
        Assert.Empty(bans.Requests);
    }

    [Fact]
    public async Task Allowlisted_decoy_visitors_and_ordinary_tarpits_are_not_banned()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bans = new RecordingBanService(IPNetwork.Parse("198.51.100.0/24"));
        var sink = new DetectionEventSink(bans, Logger.None, TimeProvider.System);
        var running = sink.RunAsync(cts.Token);

        sink.Handle(Event("198.51.100.7", localPort: 2222, originalPort: null, decoy: true));
        sink.Handle(Event("192.0.2.3", localPort: 2223, originalPort: null, decoy: false));
        sink.Handle(Event("192.0.2.4", localPort: 2222, originalPort: null, decoy: true) with { Kind = ConnectionEventKind.Closed });
        sink.Complete();
        await running;

        Assert.Empty(bans.Requests);
        Assert.Empty(bans.Refreshes);
    }

    [Fact]
    public void Handle_never_blocks_when_the_queue_is_full_it_counts_the_drop()
    {
        var bans = new RecordingBanService();
        var sink = new DetectionEventSink(bans, Logger.None, TimeProvider.System);

        for (var i = 0; i < DetectionEventSink.QueueCapacity + 3; i++)
        {
            sink.Handle(Event("192.0.2.5", localPort: 2222, originalPort: null, decoy: true));
        }

        Assert.Equal(3, sink.Dropped);
    }

    private static ConnectionEvent Event(string remote, int localPort, int? originalPort, bool decoy) => new(
        ConnectionEventKind.Opened, 1, DateTimeOffset.UnixEpoch, "ssh-decoy", "ssh", "endless-banner",
        new IPEndPoint(IPAddress.Parse(remote), 40000), localPort, originalPort, decoy, false, null, 0, TimeSpan.Zero);
}
