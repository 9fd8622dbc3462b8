using System.Globalization;
using System.Text.RegularExpressions;
using Tarpit.Config;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.SystemTests.Tarpits.Http;

namespace Tarpit.SystemTests.Tarpits.Tls;

/// <summary>
/// testssl.sh's protocol check (Debian's testssl.sh, its own ClientHellos over bash sockets, one per version) on the
/// TLS modes that answer a ClientHello at once: it sees what Debian 12's OpenSSL gives nginx, TLS 1.2 and 1.3 and
/// nothing older (issue 20 §6). slow-hello drips its ServerHello from the first byte, so testssl, like any client
/// with a timeout, sees no TLS there at all: the slow server it stands for.
/// </summary>
public sealed class TestsslSystemTests
{
    /// <summary>testssl's one line per protocol, e.g. <c> TLS 1.2    offered (OK)</c>.</summary>
    private static readonly Regex ProtocolLine = new(@"^ (SSLv2|SSLv3|TLS 1|TLS 1\.1|TLS 1\.2|TLS 1\.3) +(offered|not offered)", RegexOptions.Multiline);

    [Theory]
    [InlineData(ModeCatalog.TlsEndlessHelloRequest)]
    [InlineData(ModeCatalog.TlsHandshakeDrip)]
    public async Task Testssl_sees_tls_1_2_and_1_3_and_nothing_older(string mode)
    {
        Prerequisites.Require(false, "testssl", "openssl");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Tls, mode, cancellationToken: timeout.Token);

        // Its openssl-based checks (service detection, ALPN) wait on a stall mode; a short openssl timeout keeps the
        // run to ~30 s and does not touch the socket checks this test reads.
        var result = await TarpitUnderTest.RunAsync(
            "testssl",
            ["--quiet", "--color", "0", "--warnings", "off", "--openssl-timeout", "1", "--connect-timeout", "5", "-p", "127.0.0.1:" + tarpit.Port.ToString(CultureInfo.InvariantCulture)],
            timeout.Token);

        var seen = ProtocolLine.Matches(result.StandardOutput).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var expected = new Dictionary<string, string>
        {
            ["SSLv2"] = "not offered",
            ["SSLv3"] = "not offered",
            ["TLS 1"] = "not offered",
            ["TLS 1.1"] = "not offered",
            ["TLS 1.2"] = "offered",
            ["TLS 1.3"] = "offered",
        };
        Assert.True(expected.OrderBy(p => p.Key).SequenceEqual(seen.OrderBy(p => p.Key)), result.StandardOutput + result.StandardError);
    }
}
