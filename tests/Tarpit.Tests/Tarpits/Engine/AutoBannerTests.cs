using System.Text;
using Serilog.Events;
using Tarpit.Config;
using Tarpit.Tarpits.Engine;

namespace Tarpit.Tests.Tarpits.Engine;

/// <summary><c>banner = "auto"</c>: the real service's banner on loopback, or the built-in one and one Warning.</summary>
public sealed class AutoBannerTests
{
    /// <summary>For the one test that waits out a silent service.</summary>
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);

    /// <summary>A fake service answers at once; this only bounds a test on a loaded CI machine.</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The ssh fallback here: the installed openssh-server's banner, else the built-in one.</summary>
    private static string SshFallback => AutoBanner.InstalledSshdBanner() ?? ModeCatalog.DefaultSshBanner;

    [Theory]
    [InlineData("1:9.2p1-2+deb12u10", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10")]
    [InlineData("1:10.0p1-7", "SSH-2.0-OpenSSH_10.0p1 Debian-7")]
    [InlineData("9.2p1", null)]
    public void The_ssh_fallback_names_the_installed_openssh_server_package(string version, string? expected)
    {
        var status = Path.GetTempFileName();
        try
        {
            File.WriteAllText(status, $"Package: openssh-client\nStatus: install ok installed\nVersion: 1:8.0p1-1\n\nPackage: openssh-server\nStatus: install ok installed\nPriority: optional\nVersion: {version}\nDescription: x\n\nPackage: zz\n");

            Assert.Equal(expected, AutoBanner.InstalledSshdBanner(status));
        }
        finally
        {
            File.Delete(status);
        }
    }

    [Fact]
    public void No_ssh_fallback_from_a_removed_package_or_a_missing_file()
    {
        var status = Path.GetTempFileName();
        try
        {
            File.WriteAllText(status, "Package: openssh-server\nStatus: deinstall ok config-files\nVersion: 1:9.2p1-2+deb12u10\n");

            Assert.Null(AutoBanner.InstalledSshdBanner(status));
            Assert.Null(AutoBanner.InstalledSshdBanner(status + ".missing"));
        }
        finally
        {
            File.Delete(status);
        }
    }

    /// <summary>A real sshd's lists, shortened: one host key, one cipher.</summary>
    private static readonly string[] RealLists =
    [
        "sntrup761x25519-sha512,curve25519-sha256,kex-strict-s-v00@openssh.com", "ssh-ed25519", "aes128-ctr", "aes128-ctr",
        "hmac-sha2-256", "hmac-sha2-256", "none,zlib@openssh.com", "none,zlib@openssh.com", "", "",
    ];

    [Fact]
    public async Task An_ssh_tarpit_shows_the_identification_string_and_the_KEXINIT_lists_the_real_sshd_sends()
    {
        byte[] answer = [.. "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n"u8, .. Tarpit.Tarpits.Ssh.SshPacket.Frame(Tarpit.Tarpits.Ssh.KexInit.Payload(RealLists))];
        await using var sshd = new FakeRealService(answer);

        var (resolved, log) = await ResolveConfigAsync(TarpitProtocol.Ssh, sshd.Port);

        Assert.Equal("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10", resolved.Banner);
        Assert.Equal(RealLists, resolved.SshKexInitNameLists);
        Assert.Equal(
            [
                $"Tarpit t (ssh): banner = \"auto\" shows SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10, read from the real service on port {sshd.Port}",
                $"Tarpit t (ssh): banner = \"auto\" also copies the KEXINIT of the real sshd on port {sshd.Port} (12 algorithm names)",
            ],
            log.Rendered(LogEventLevel.Information));
        Assert.Empty(log.Rendered(LogEventLevel.Warning));
    }

    [Fact]
    public async Task A_banner_without_a_KEXINIT_is_shown_with_the_built_in_lists_and_a_warning()
    {
        await using var sshd = new FakeRealService("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n"u8.ToArray());

        var (resolved, log) = await ResolveConfigAsync(TarpitProtocol.Ssh, sshd.Port);

        Assert.Equal("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10", resolved.Banner);
        Assert.Null(resolved.SshKexInitNameLists);
        Assert.Contains("read the banner but not the KEXINIT", Assert.Single(log.Rendered(LogEventLevel.Warning)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0x40, 0 }, "its first packet is 16384 bytes long; at most 3837 are read")]
    [InlineData(new byte[] { 0, 0, 0, 12, 4, 21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "its first packet is 12 bytes long")]
    [InlineData(new byte[] { 0, 0, 0, 28, 4, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0, 0, 0, 9, 1, 1, 1, 1, 1, 1 }, "its KEXINIT name-list 1 runs past the packet")]
    public async Task A_KEXINIT_out_of_bounds_or_malformed_is_not_copied(byte[] packet, string reason)
    {
        await using var sshd = new FakeRealService([.. "SSH-2.0-OpenSSH_9.2p1\r\n"u8, .. packet], closeAfterAnswer: true);

        var (resolved, log) = await ResolveConfigAsync(TarpitProtocol.Ssh, sshd.Port);

        Assert.Equal("SSH-2.0-OpenSSH_9.2p1", resolved.Banner);
        Assert.Null(resolved.SshKexInitNameLists);
        Assert.Contains(reason, Assert.Single(log.Rendered(LogEventLevel.Warning)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_probe_sends_only_an_identification_string_to_the_real_sshd()
    {
        var sshd = new FakeRealService("SSH-2.0-OpenSSH_9.2p1\r\n"u8.ToArray());

        await ResolveAsync(TarpitProtocol.Ssh, sshd.Port);
        await sshd.DisposeAsync();

        Assert.Equal(AutoBanner.ProbeIdentification, sshd.Received);
    }

    [Fact]
    public async Task Lines_before_the_identification_string_are_skipped()
    {
        await using var sshd = new FakeRealService("Welcome\r\nauthorised use only\nSSH-2.0-dropbear_2022.83\r\n"u8.ToArray());

        var (banner, _) = await ResolveAsync(TarpitProtocol.Ssh, sshd.Port);

        Assert.Equal("SSH-2.0-dropbear_2022.83", banner);
    }

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request\r\n\r\n", "closed before an identification string")]
    [InlineData("SSH-1.99-OpenSSH_3.9p1\r\n", "its identification string is not valid: ssh 'banner' must start with")]
    [InlineData("SSH-2.0-Open\u001b[2JSSH\r\n", "its identification string is not printable ASCII (RFC 4253 §4.2): \"SSH-2.0-Open\\x1b[2JSSH\"")]
    public async Task A_service_that_sends_no_valid_identification_string_gives_the_default_and_a_warning(string answer, string reason)
    {
        await using var sshd = new FakeRealService(Encoding.Latin1.GetBytes(answer), closeAfterAnswer: true);

        var (banner, log) = await ResolveAsync(TarpitProtocol.Ssh, sshd.Port);

        Assert.Equal(SshFallback, banner);
        var warning = Assert.Single(log.Rendered(LogEventLevel.Warning));
        Assert.Contains($"on port {sshd.Port}: {reason}", warning, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', warning);
    }

    [Fact]
    public async Task An_identification_line_of_300_bytes_is_refused_at_the_rfc_4253_bound()
    {
        await using var sshd = new FakeRealService(Encoding.ASCII.GetBytes("SSH-2.0-x " + new string('c', 290) + "\r\n"));

        var (banner, log) = await ResolveAsync(TarpitProtocol.Ssh, sshd.Port);

        Assert.Equal(SshFallback, banner);
        Assert.Contains("a line longer than 255 bytes (RFC 4253 §4.2)", Assert.Single(log.Rendered(LogEventLevel.Warning)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_pre_banner_lines_than_the_bound_give_the_default()
    {
        var lines = string.Concat(Enumerable.Repeat("noise\r\n", AutoBanner.MaxSshPreambleLines + 1)) + "SSH-2.0-OpenSSH_9.2p1\r\n";
        await using var sshd = new FakeRealService(Encoding.ASCII.GetBytes(lines));

        var (banner, log) = await ResolveAsync(TarpitProtocol.Ssh, sshd.Port);

        Assert.Equal(SshFallback, banner);
        Assert.Contains("more than 16 lines before an identification string", Assert.Single(log.Rendered(LogEventLevel.Warning)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_that_says_nothing_within_the_timeout_gives_the_default_and_a_warning()
    {
        await using var sshd = new FakeRealService([]);

        var (banner, log) = await ResolveAsync(TarpitProtocol.Ssh, sshd.Port, ShortTimeout);

        Assert.Equal(SshFallback, banner);
        Assert.Contains("no answer within 0.3s", Assert.Single(log.Rendered(LogEventLevel.Warning)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ssh", ModeCatalog.DefaultSshBanner)]
    [InlineData("http", ModeCatalog.DefaultHttpBanner)]
    public async Task Nothing_listening_on_the_port_gives_the_default_and_a_warning(string protocol, string expected)
    {
        expected = protocol == "ssh" ? SshFallback : expected;
        var port = FakeRealService.UnusedPort();
        Assert.True(ModeCatalog.TryParseProtocol(protocol, out var parsed));

        var (banner, log) = await ResolveAsync(parsed, port);

        Assert.Equal(expected, banner);
        Assert.Contains($"on port {port}: ConnectionRefused on 127.0.0.1 and [::1]", Assert.Single(log.Rendered(LogEventLevel.Warning)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_tarpit_shows_the_server_header_of_the_real_server_asked_with_one_head()
    {
        await using var web = new FakeRealService(
            "HTTP/1.1 200 OK\r\nDate: Mon, 23 Nov 2026 10:49:13 GMT\r\nserver:  Apache/2.4.62 (Debian) \r\nContent-Length: 10\r\n\r\n"u8.ToArray(),
            readRequestFirst: true);

        var (banner, log) = await ResolveAsync(TarpitProtocol.Http, web.Port);

        Assert.Equal("Apache/2.4.62 (Debian)", banner);
        Assert.Contains("shows Apache/2.4.62 (Debian), read from the real service", Assert.Single(log.Rendered(LogEventLevel.Information)), StringComparison.Ordinal);
        await web.DisposeAsync();
        Assert.Equal("HEAD / HTTP/1.0\r\nHost: localhost\r\n\r\n", Encoding.ASCII.GetString(web.Received));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "no Server header in its answer")]
    [InlineData("HTTP/1.1 200 OK\r\nServer: nginx\u0007/1.22\r\n\r\n", "its Server header is not printable ASCII: \"nginx\\x07/1.22\"")]
    [InlineData("SSH-2.0-OpenSSH_9.2p1\r\n", "not an HTTP response: \"SSH-2.0-OpenSSH_9.2p1\\x0d\\x0a\"")]
    [InlineData("HTTP/1.1 200 OK\r\nServer: " + "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn" + "\r\n\r\n", "its Server header is not valid: http 'banner' (the Server header) must be 1-128 printable ASCII characters")]
    public async Task An_http_answer_without_a_valid_server_header_gives_the_default_and_a_warning(string answer, string reason)
    {
        await using var web = new FakeRealService(Encoding.Latin1.GetBytes(answer), readRequestFirst: true, closeAfterAnswer: true);

        var (banner, log) = await ResolveAsync(TarpitProtocol.Http, web.Port);

        Assert.Equal(ModeCatalog.DefaultHttpBanner, banner);
        var warning = Assert.Single(log.Rendered(LogEventLevel.Warning));
        Assert.Contains($"on port {web.Port}: {reason}", warning, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0007', warning);
    }

    [Fact]
    public async Task Tarpits_with_a_literal_banner_are_not_probed()
    {
        var tarpit = Auto(TarpitProtocol.Ssh, FakeRealService.UnusedPort()) with { Banner = "SSH-2.0-Mine" };
        var log = new CollectingLogSink();

        var resolved = await AutoBanner.ResolveAsync([tarpit], log.CreateLogger(), TimeProvider.System, ShortTimeout, CancellationToken.None);

        Assert.Equal("SSH-2.0-Mine", Assert.Single(resolved).Banner);
        Assert.Empty(log.Events);
    }

    private static async Task<(string? Banner, CollectingLogSink Log)> ResolveAsync(TarpitProtocol protocol, int port, TimeSpan? timeout = null)
    {
        var (resolved, log) = await ResolveConfigAsync(protocol, port, timeout);
        return (resolved.Banner, log);
    }

    private static async Task<(TarpitConfig Resolved, CollectingLogSink Log)> ResolveConfigAsync(TarpitProtocol protocol, int port, TimeSpan? timeout = null)
    {
        var log = new CollectingLogSink();
        var resolved = await AutoBanner.ResolveAsync([Auto(protocol, port)], log.CreateLogger(), TimeProvider.System, timeout ?? AnswerTimeout, CancellationToken.None);
        return (Assert.Single(resolved), log);
    }

    private static TarpitConfig Auto(TarpitProtocol protocol, int port) =>
        TarpitConfigs.Listener("t") with { Protocol = protocol, RedirectPorts = [port], Banner = ModeCatalog.AutoBanner };
}
