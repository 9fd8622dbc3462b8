using Tarpit.Tarpits.Engine;
using Tarpit.Tarpits.Events;
using Tarpit.Tests.Tarpits.Events;

namespace Tarpit.Tests.Tarpits.Engine;

/// <summary>The engine with the real mode registry: an SSH client is verified, held and summarised end to end.</summary>
public sealed class TarpitServerSshTests
{
    [Fact]
    public async Task An_ssh_client_is_verified_with_its_version_dripped_on_and_released_on_shutdown()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var tarpit = TarpitConfigs.Listener("ssh") with
        {
            Mode = "endless-banner",
            Banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3",
            Interval = TimeSpan.FromMilliseconds(50),
        };
        var sink = new CollectingEventSink();
        var log = new CollectingLogSink();
        var server = new TarpitServer(TarpitConfigs.Config(tarpit), [sink, new ConnectionLogSink(log.CreateLogger())], log.CreateLogger(), TimeProvider.System);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var run = server.RunAsync(stop.Token);
        await server.Ready.WaitAsync(timeout.Token);
        using var client = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await client.ConnectAsync(server.Endpoints[0].Endpoint, timeout.Token);

        await client.SendAsync("SSH-2.0-Go\r\n"u8.ToArray(), timeout.Token);
        var dripped = new byte[256];
        var count = await client.ReceiveAsync(dripped, timeout.Token);
        await stop.CancelAsync();
        await run.WaitAsync(timeout.Token);

        Assert.True(count > 0);
        var closed = Assert.Single(sink.OfKind(ConnectionEventKind.Closed));
        Assert.True(closed.Verified);
        Assert.Equal(("ssh", "endless-banner"), (closed.Protocol, closed.Mode));
        Assert.StartsWith("SSH-2.0-Go", closed.FirstBytes, StringComparison.Ordinal);
        Assert.True(closed.BytesSent >= count);
        Assert.Contains(log.Rendered(Serilog.Events.LogEventLevel.Information), line => line.StartsWith("Released 127.0.0.1:", StringComparison.Ordinal) && line.Contains("(ssh/endless-banner)", StringComparison.Ordinal));
        // The version leaves with the identification's capture; the connection does not keep it for its Closed event.
        var observed = Assert.Single(sink.OfKind(ConnectionEventKind.Observed));
        Assert.Equal(Tarpit.Tarpits.CaptureKeys.Ssh, observed.ObservedKey);
        Assert.Equal("SSH-2.0-Go", observed.Details![Tarpit.Tarpits.Ssh.SshClientVerifier.ClientVersionKey]);
        Assert.Null(closed.Details);
    }
}
