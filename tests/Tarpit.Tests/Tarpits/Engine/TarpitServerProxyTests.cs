using System.Net;
using System.Text;
using Tarpit.Config;
using Tarpit.Tarpits.Engine;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tests.Tarpits.Engine;

/// <summary>A real HTTP (or SSH) tarpit on loopback behind a "proxy" that is this test: who the engine charges.</summary>
public sealed class TarpitServerProxyTests
{
    private static TarpitConfig Tarpit(string protocol, string trusted, bool proxyProtocol = false)
    {
        var toml = $"[[tarpit]]\nname = \"p\"\nprotocol = \"{protocol}\"\nlisten = [\"127.0.0.1:9\"]\nredirect_ports = []\ntrusted_proxies = [{trusted}]\nproxy_protocol = {(proxyProtocol ? "true" : "false")}\nbanner = \"SSH-2.0-OpenSSH_9.2p1\"\n";
        if (protocol == "http")
        {
            toml = toml.Replace("banner = \"SSH-2.0-OpenSSH_9.2p1\"\n", "banner = \"nginx\"\n", StringComparison.Ordinal);
        }

        var config = ConfigLoader.Parse(toml, "tarpit.toml").Tarpits.Single();
        return config with { Listen = [new IPEndPoint(IPAddress.Loopback, 0)] };
    }

    private static async Task<RunningServer> StartAsync(TarpitConfig config) =>
        await RunningServer.Start(ModeFactory.Create(config), config).ReadyAsync();

    private static async Task<ConnectionEvent> OpenedAsync(RunningServer running)
    {
        Assert.True(await RunningServer.EventuallyAsync(() => running.Sink.OfKind(ConnectionEventKind.Opened).Count > 0));
        return running.Sink.OfKind(ConnectionEventKind.Opened)[0];
    }

    [Fact(Timeout = 30_000)]
    public async Task A_trusted_proxy_names_the_client_and_its_port_by_X_Forwarded_For_and_X_Tarpit_Target_Port()
    {
        await using var running = await StartAsync(Tarpit("http", "\"127.0.0.1/32\""));
        using var proxy = running.Connect();

        proxy.Send("GET /wp-login.php HTTP/1.0\r\nX-Forwarded-For: 127.0.0.1, 192.0.2.7\r\nX-Tarpit-Target-Port: 80\r\n\r\n"u8);

        var opened = await OpenedAsync(running);
        Assert.Equal(IPAddress.Parse("192.0.2.7"), opened.Remote.Address);
        Assert.Equal(80, opened.OriginalPort);
        Assert.Equal(IPAddress.Loopback, opened.Proxy!.Address);
        Assert.False(opened.Redirected);
        Assert.False(opened.IsProxyItself);
        Assert.True(await RunningServer.EventuallyAsync(() => running.Sink.OfKind(ConnectionEventKind.Verified).Count > 0));
        Assert.Equal(IPAddress.Parse("192.0.2.7"), running.Sink.OfKind(ConnectionEventKind.Verified)[0].Remote.Address);
        var answer = new byte[64];
        Assert.True(proxy.Receive(answer) > 0); // the tarpit answers the proxy: the hold goes through it
    }

    [Fact(Timeout = 30_000)]
    public async Task A_Forwarded_v6_client_with_a_port_keeps_its_address_and_the_held_copy_is_via_the_proxy_not_redirected()
    {
        await using var running = await StartAsync(Tarpit("http", "\"127.0.0.1/32\""));
        using var proxy = running.Connect();

        proxy.Send("GET /.env HTTP/1.0\r\nForwarded: for=\"[2001:db8::1]:4711\"\r\nX-Tarpit-Target-Port: 443\r\n\r\n"u8);

        var opened = await OpenedAsync(running);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), opened.Remote.Address);
        Assert.Equal(443, opened.OriginalPort);
        Assert.False(opened.Redirected);
        var held = await running.Server.HeldAsync(CancellationToken.None);
        var copy = Assert.Single(held);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), copy.Remote.Address);
        Assert.Equal(443, copy.OriginalPort);
        Assert.Equal(IPAddress.Loopback, copy.Proxy!.Address);
        Assert.False(copy.Redirected);
    }

    [Fact(Timeout = 30_000)]
    public async Task Forwarding_fields_from_an_untrusted_peer_are_ignored_and_the_sender_is_charged()
    {
        await using var running = await StartAsync(Tarpit("http", "\"10.0.0.0/8\""));
        using var forger = running.Connect();

        forger.Send("GET / HTTP/1.0\r\nX-Forwarded-For: 192.0.2.7\r\nForwarded: for=192.0.2.8\r\nX-Real-IP: 192.0.2.9\r\nX-Tarpit-Target-Port: 22\r\n\r\n"u8);

        var opened = await OpenedAsync(running);
        Assert.Equal(IPAddress.Loopback, opened.Remote.Address);
        Assert.Null(opened.Proxy);
        Assert.Equal(opened.LocalPort, opened.OriginalPort);
        var copy = Assert.Single(await running.Server.HeldAsync(CancellationToken.None));
        Assert.Null(copy.Proxy);
        Assert.False(copy.Redirected);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_trusted_proxy_that_names_nobody_is_charged_as_itself_and_marked_so()
    {
        await using var running = await StartAsync(Tarpit("http", "\"127.0.0.1\""));
        using var proxy = running.Connect();

        proxy.Send("GET / HTTP/1.0\r\nX-Forwarded-For: not-an-address\r\n\r\n"u8);

        var opened = await OpenedAsync(running);
        Assert.True(opened.IsProxyItself);
        Assert.True(await RunningServer.EventuallyAsync(() => running.Log.Events.Any(e => e.MessageTemplate.Text.Contains("malformed forwarding", StringComparison.Ordinal))));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_PROXY_v1_header_names_the_client_of_an_ssh_tarpit_and_the_protocol_starts_after_it()
    {
        await using var running = await StartAsync(Tarpit("ssh", "\"127.0.0.1\"", proxyProtocol: true));
        using var proxy = running.Connect();

        proxy.Send("PROXY TCP4 198.51.100.9 192.0.2.1 40000 22\r\nSSH-2.0-OpenSSH_9.6\r\n"u8);

        var opened = await OpenedAsync(running);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.9"), 40000), opened.Remote);
        Assert.Equal(22, opened.OriginalPort);
        var banner = new byte[8];
        Assert.Equal(8, proxy.Receive(banner));
        Assert.Equal("SSH-2.0-", Encoding.ASCII.GetString(banner));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_PROXY_v2_header_trickled_a_byte_at_a_time_is_read()
    {
        await using var running = await StartAsync(Tarpit("http", "\"127.0.0.1\"", proxyProtocol: true));
        using var proxy = running.Connect();
        byte[] header = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0, 12, 203, 0, 113, 5, 192, 0, 2, 1, 0x9C, 0x40, 0, 80];

        foreach (var b in header)
        {
            proxy.Send([b]);
            await Task.Delay(5);
        }

        proxy.Send("GET / HTTP/1.0\r\n\r\n"u8);
        var opened = await OpenedAsync(running);
        Assert.Equal(IPAddress.Parse("203.0.113.5"), opened.Remote.Address);
        Assert.Equal(80, opened.OriginalPort);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_trusted_proxy_without_a_PROXY_header_is_closed_without_events()
    {
        await using var running = await StartAsync(Tarpit("http", "\"127.0.0.1\"", proxyProtocol: true));
        using var proxy = running.Connect();

        proxy.Send("GET / HTTP/1.0\r\n\r\n"u8);

        // Closed with the request unread, so the kernel answers with a reset rather than a FIN: either is a close.
        var buffer = new byte[16];
        try
        {
            Assert.Equal(0, proxy.Receive(buffer));
        }
        catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionReset)
        {
        }

        Assert.True(await RunningServer.EventuallyAsync(() => running.Log.Events.Any(e => e.MessageTemplate.Text.Contains("trusted proxy", StringComparison.Ordinal))));
        Assert.Empty(running.Sink.Events);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_untrusted_peer_on_a_proxy_protocol_tarpit_speaks_the_protocol_at_once()
    {
        await using var running = await StartAsync(Tarpit("http", "\"10.0.0.0/8\"", proxyProtocol: true));
        using var client = running.Connect();

        client.Send("GET / HTTP/1.0\r\n\r\n"u8);

        var opened = await OpenedAsync(running);
        Assert.Equal(IPAddress.Loopback, opened.Remote.Address);
        var answer = new byte[8];
        Assert.True(client.Receive(answer) > 0);
        Assert.StartsWith("HTTP/1.", Encoding.ASCII.GetString(answer), StringComparison.Ordinal);
    }
}
