using System.Net;
using System.Text;
using System.Text.Json;
using Tarpit.Agent.Commands;
using Tarpit.Agent.Listing;
using Tarpit.Store;
using Tarpit.Tarpits.Http;
using Tarpit.Tarpits.Tls;

namespace Tarpit.Tests.Listing;

/// <summary>Issue 19 §2: <c>show ADDR</c> and <c>show ADDR --json</c> print the stored captures.</summary>
public sealed class ShowCaptureTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");

    private static ShowData Data(params CaptureRecord[] captures) =>
        new(Client, null, [], null, [], 0, TimeSpan.Zero, 0, captures, captures.Length + 1);

    private static string HttpCapture() => RequestCapture.Compose(
        HttpRequestParser.Parse("GET /.env HTTP/1.1\r\nHost: example.org\r\nUser-Agent: zgrab/0.x\r\nAccept: */*\r\n\r\n"u8).Request!,
        1);

    [Fact]
    public void Json_carries_each_capture_as_the_object_the_tarpit_composed()
    {
        var tls = HelloCapture.Compose(ClientHelloParser.Parse(Tarpit.Tests.Tarpits.Tls.ClientHelloBuilder.Build(sni: "example.org")).Hello!);
        using var stream = new MemoryStream();

        ShowJson.Write(stream, Data(
            new CaptureRecord(Client, "web", "http", Now, Now - TimeSpan.FromSeconds(2), HttpCapture()),
            new CaptureRecord(Client, "tls", "tls", Now, Now, tls)));

        using var document = JsonDocument.Parse(stream.ToArray());
        var captures = document.RootElement.GetProperty("captures");
        Assert.Equal(3, captures.GetProperty("count").GetInt32());
        var http = captures.GetProperty("latest")[0];
        Assert.Equal(("web", "http", "2026-11-23T10:00:00Z"), (http.GetProperty("tarpit").GetString(), http.GetProperty("protocol").GetString(), http.GetProperty("captured_at").GetString()));
        Assert.Equal("/.env", http.GetProperty("capture").GetProperty("target").GetString());
        Assert.Equal("Accept", http.GetProperty("capture").GetProperty("headers")[2].GetProperty("name").GetString());
        var hello = captures.GetProperty("latest")[1].GetProperty("capture");
        Assert.Equal("example.org", hello.GetProperty("sni").GetString());
        Assert.Equal("h2,http/1.1", hello.GetProperty("alpn").GetString());
        Assert.Equal(["TLS 1.3", "TLS 1.2"], hello.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Matches("^t13d[0-9]{4}h2_[0-9a-f]{12}_[0-9a-f]{12}$", hello.GetProperty("ja4").GetString());
    }

    [Fact]
    public void A_stored_row_that_is_not_json_is_printed_as_an_escaped_string()
    {
        using var stream = new MemoryStream();

        ShowJson.Write(stream, Data(new CaptureRecord(Client, "web", "http", Now, Now, "not json \x1b[2J")));

        using var document = JsonDocument.Parse(stream.ToArray());
        Assert.Equal(@"not json \x1b[2J", document.RootElement.GetProperty("captures").GetProperty("latest")[0].GetProperty("capture").GetString());
    }

    [Fact]
    public void The_text_prints_one_line_per_capture_with_the_request_line_and_header_names()
    {
        var output = new StringWriter();

        ShowCommand.Write(output, Data(
            new CaptureRecord(Client, "web", "http", Now, Now, HttpCapture()),
            new CaptureRecord(Client, "ssh", "ssh", Now, Now, Tarpit.Tarpits.Ssh.IdentificationCapture.Compose("SSH-2.0-Go x"u8))), Now);

        var text = output.ToString();
        Assert.Contains("captures: 3; the latest 2:", text, StringComparison.Ordinal);
        Assert.Contains("web  http  #1 GET /.env HTTP/1.1  host example.org  ua zgrab/0.x  body -  3 headers: Host User-Agent Accept", text, StringComparison.Ordinal);
        Assert.Contains("ssh  ssh  SSH-2.0-Go x", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ssh_capture_splits_the_identification_into_its_rfc_4253_parts()
    {
        using var document = JsonDocument.Parse(Tarpit.Tarpits.Ssh.IdentificationCapture.Compose(Encoding.Latin1.GetBytes("SSH-2.0-OpenSSH_9.2p1 Debian-2\x1b")));
        var root = document.RootElement;

        Assert.Equal(("2.0", "OpenSSH_9.2p1", @"Debian-2\x1b"), (root.GetProperty("protocol").GetString(), root.GetProperty("software").GetString(), root.GetProperty("comments").GetString()));
    }
}
