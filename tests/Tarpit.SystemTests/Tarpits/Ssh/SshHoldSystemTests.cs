using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.Tarpits.Events;

namespace Tarpit.SystemTests.Tarpits.Ssh;

/// <summary>
/// Issue 20 items 1, 2 and 4 against the real clients, at a fast interval (200 ms): "still running after N intervals"
/// is the hold; a client that gives up (or connects) fails the test.
/// </summary>
public sealed class SshHoldSystemTests
{
    private const string Paramiko = "/usr/lib/python3/dist-packages/paramiko/__init__.py";
    private const string AsyncSsh = "/usr/lib/python3/dist-packages/asyncssh/__init__.py";

    private static readonly TimeSpan FastInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>20 intervals: long enough that a dripped KEXINIT (4 bytes per interval) could not be complete.</summary>
    private static readonly TimeSpan HoldFor = TimeSpan.FromSeconds(4);

    [SystemFact(false, PythonSshClient.Python, Paramiko)]
    public async Task Paramiko_gets_the_whole_KEXINIT_from_kex_hold_and_stays_held()
    {
        Prerequisites.Require(false, PythonSshClient.Python, Paramiko);
        await using var tarpit = await SshTarpitUnderTest.StartAsync(SshTarpitUnderTest.Config("kex-hold", verifyClient: true, FastInterval));

        var (killed, output) = await PythonSshClient.RunParamikoAsync(tarpit.Port, HoldFor);

        Assert.True(killed, "paramiko ended on its own:\n" + output);
        Assert.Contains(PythonSshClient.ParamikoKexInitParsed, output, StringComparison.Ordinal);
        Assert.Contains("sntrup761x25519-sha512@openssh.com", output, StringComparison.Ordinal);
        Assert.DoesNotContain(PythonSshClient.GaveUp, output, StringComparison.Ordinal);
    }

    [SystemFact(false, PythonSshClient.Python, AsyncSsh)]
    public async Task AsyncSSH_gets_the_whole_KEXINIT_from_kex_hold_and_stays_held()
    {
        Prerequisites.Require(false, PythonSshClient.Python, AsyncSsh);
        await using var tarpit = await SshTarpitUnderTest.StartAsync(SshTarpitUnderTest.Config("kex-hold", verifyClient: true, FastInterval));

        var (killed, output) = await PythonSshClient.RunAsyncSshAsync(tarpit.Port, HoldFor);

        Assert.True(killed, "asyncssh ended on its own:\n" + output);
        Assert.Contains(PythonSshClient.AsyncSshKexInitParsed, output, StringComparison.Ordinal);
        Assert.DoesNotContain(PythonSshClient.GaveUp, output, StringComparison.Ordinal);
    }

    [SystemFact(false, "ssh")]
    public async Task OpenSSH_with_a_one_second_ConnectTimeout_is_held_by_kex_hold_under_strict_kex()
    {
        Prerequisites.Require(false, "ssh");
        await using var tarpit = await SshTarpitUnderTest.StartAsync(SshTarpitUnderTest.Config("kex-hold", verifyClient: true, FastInterval));
        var arguments = ExternalTool.SshArguments(tarpit.Port).Select(a => a == "ConnectTimeout=30" ? "ConnectTimeout=1" : a);

        var (killed, output) = await ExternalTool.RunAsync("ssh", arguments, HoldFor);

        Assert.True(killed, "ssh exited on its own:\n" + output);
        Assert.Contains("SSH2_MSG_KEXINIT received", output, StringComparison.Ordinal);
        Assert.Contains("expecting SSH2_MSG_KEX_ECDH_REPLY", output, StringComparison.Ordinal);
        Assert.DoesNotContain("strict KEX violation", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Connection closed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("timed out", output, StringComparison.Ordinal);
    }

    [SystemFact(false, PythonSshClient.Python, Paramiko)]
    public async Task Endless_banner_sends_paramiko_which_waits_2s_per_preamble_line_to_the_kex_hold()
    {
        Prerequisites.Require(false, PythonSshClient.Python, Paramiko);

        // paramiko allows 2 s per line after the first: a 2.5 s interval would lose it on the second line.
        var config = SshTarpitUnderTest.Config("endless-banner", verifyClient: true, TimeSpan.FromMilliseconds(2500), jitter: 0);
        await using var tarpit = await SshTarpitUnderTest.StartAsync(config);

        var (killed, output) = await PythonSshClient.RunParamikoAsync(tarpit.Port, TimeSpan.FromSeconds(7));

        Assert.True(killed, "paramiko ended on its own:\n" + output);
        Assert.Contains(PythonSshClient.ParamikoKexInitParsed, output, StringComparison.Ordinal);
        var verified = Assert.Single(tarpit.OfKind(ConnectionEventKind.Verified));
        Assert.StartsWith("SSH-2.0-paramiko_", verified.FirstBytes, StringComparison.Ordinal);
    }

    [SystemFact(false, "ssh")]
    public async Task Endless_banner_sends_OpenSSH_short_lines_the_first_after_one_interval()
    {
        Prerequisites.Require(false, "ssh");
        var config = SshTarpitUnderTest.Config("endless-banner", verifyClient: true, TimeSpan.FromMilliseconds(1000), jitter: 0);
        await using var tarpit = await SshTarpitUnderTest.StartAsync(config);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, tarpit.Port);
        var stream = client.GetStream();
        await stream.WriteAsync("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n"u8.ToArray());
        var clock = Stopwatch.StartNew();

        var first = await ReadLineAsync(stream, TimeSpan.FromSeconds(5));
        var firstAt = clock.Elapsed;
        var lines = new List<string> { first };
        for (var i = 0; i < 2; i++)
        {
            lines.Add(await ReadLineAsync(stream, TimeSpan.FromSeconds(5)));
        }

        Assert.InRange(firstAt, TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(3));
        Assert.All(lines, l => Assert.InRange(Encoding.ASCII.GetByteCount(l), 3, 32));
        Assert.All(lines, l => Assert.DoesNotContain("SSH-", l, StringComparison.Ordinal));
    }

    [SystemFact(false)]
    public async Task A_silent_client_gets_the_banner_within_a_second_like_sshd()
    {
        // The probe delay and jitter an ssh tarpit gets when its table sets neither (verify_client is on by default).
        var loaded = Tarpit.Config.ConfigLoader.Parse("[[tarpit]]\nname = \"ssh\"\nprotocol = \"ssh\"\nmode = \"kex-hold\"\nlisten = [\"127.0.0.1:2222\"]\nredirect_ports = []\n", "tarpit.toml").Tarpits[0];
        var config = SshTarpitUnderTest.Config("kex-hold", loaded.VerifyClient, FastInterval, jitter: loaded.Jitter, probeDelay: loaded.ProbeDelay);
        await using var tarpit = await SshTarpitUnderTest.StartAsync(config);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, tarpit.Port);
        var clock = Stopwatch.StartNew();

        var banner = await ReadLineAsync(client.GetStream(), TimeSpan.FromSeconds(5));

        Assert.Equal(config.Banner + "\r\n", banner);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"banner after {clock.Elapsed.TotalMilliseconds} ms");
    }

    [SystemFact(false)]
    public async Task An_HTTP_request_gets_the_banner_and_Invalid_SSH_identification_string_then_a_close()
    {
        await using var tarpit = await SshTarpitUnderTest.StartAsync(SshTarpitUnderTest.Config("kex-hold", verifyClient: true, FastInterval));

        var answer = await ExchangeAsync(tarpit.Port, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray(), TimeSpan.FromSeconds(10));

        Assert.Equal("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\nInvalid SSH identification string.\r\n", answer);
    }

    /// <summary>Sends <paramref name="request"/>, reads until the server closes (bounded), returns what came.</summary>
    internal static async Task<string> ExchangeAsync(int port, byte[] request, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancel.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(request, cancel.Token);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancel.Token)) > 0 && received.Length < 64 * 1024)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            // sshd closes with the rest of the request unread, so the kernel answers with a reset after its last line.
        }

        return Encoding.Latin1.GetString(received.ToArray());
    }

    /// <summary>One line, CR LF included, read byte by byte (bounded in time and to 255 bytes).</summary>
    private static async Task<string> ReadLineAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var line = new StringBuilder();
        var one = new byte[1];
        while (line.Length < 255)
        {
            if (await stream.ReadAsync(one, cancel.Token) == 0)
            {
                break;
            }

            line.Append((char)one[0]);
            if (one[0] == '\n')
            {
                break;
            }
        }

        return line.ToString();
    }
}
