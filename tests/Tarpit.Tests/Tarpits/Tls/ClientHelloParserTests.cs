using Tarpit.Tarpits.Tls;

namespace Tarpit.Tests.Tarpits.Tls;

public sealed class ClientHelloParserTests
{
    [Fact]
    public void An_openssl_like_hello_yields_sni_alpn_versions_and_extensions()
    {
        var result = ClientHelloParser.Parse(ClientHelloBuilder.Build());

        Assert.Equal(TlsParseStatus.Complete, result.Status);
        var hello = result.Hello!;
        Assert.Equal("example.org", hello.ServerName);
        Assert.Equal("h2,http/1.1", hello.Alpn);
        Assert.True(hello.AlpnHttp11);
        Assert.True(hello.OffersTls12);
        Assert.Equal(0x0304, hello.MaxVersion);
        Assert.Equal(32, hello.SessionId.Length);
        Assert.True(hello.Extensions.HasFlag(ClientHelloExtensions.ExtendedMasterSecret));
        Assert.True(hello.Extensions.HasFlag(ClientHelloExtensions.RenegotiationInfo));
    }

    [Fact]
    public void A_hello_split_over_many_records_is_reassembled()
    {
        var result = ClientHelloParser.Parse(ClientHelloBuilder.Build(recordSplit: 7));

        Assert.Equal(TlsParseStatus.Complete, result.Status);
        Assert.Equal("example.org", result.Hello!.ServerName);
    }

    [Fact]
    public void Every_prefix_of_a_valid_flight_is_incomplete()
    {
        var flight = ClientHelloBuilder.Build(recordSplit: 50);
        for (var cut = 0; cut < flight.Length; cut++)
        {
            Assert.Equal(TlsParseStatus.Incomplete, ClientHelloParser.Parse(flight.AsSpan(0, cut)).Status);
        }
    }

    [Theory]
    [InlineData(new byte[] { (byte)'G', (byte)'E', (byte)'T' }, TlsAlert.UnexpectedMessage)]
    [InlineData(new byte[] { 23, 3, 3, 0, 1, 0 }, TlsAlert.UnexpectedMessage)]
    [InlineData(new byte[] { 22, 2 }, TlsAlert.DecodeError)]
    [InlineData(new byte[] { 22, 3, 1, 0, 0 }, TlsAlert.UnexpectedMessage)]
    [InlineData(new byte[] { 22, 3, 1, 0x40, 0x01 }, TlsAlert.RecordOverflow)]
    [InlineData(new byte[] { 22, 3, 1, 0, 4, 2, 0, 0, 0 }, TlsAlert.UnexpectedMessage)]
    [InlineData(new byte[] { 22, 3, 1, 0, 4, 1, 0, 0x40, 0x01 }, TlsAlert.DecodeError)]
    [InlineData(new byte[] { 22, 3, 1, 0, 6, 1, 0, 0, 2, 3, 3 }, TlsAlert.DecodeError)]
    public void Garbage_is_invalid_with_the_alert_a_server_sends(byte[] flight, byte alert)
    {
        var result = ClientHelloParser.Parse(flight);

        Assert.Equal(TlsParseStatus.Invalid, result.Status);
        Assert.Equal(alert, result.Alert);
    }

    [Fact]
    public void A_record_of_exactly_two_to_the_fourteen_is_accepted_as_a_length()
    {
        byte[] header = [22, 3, 1, 0x40, 0x00, 1, 0, 0x3F, 0xFC];

        Assert.Equal(TlsParseStatus.Incomplete, ClientHelloParser.Parse(header).Status);
    }

    [Fact]
    public void A_hello_body_over_the_bound_is_a_decode_error_and_at_the_bound_is_awaited()
    {
        var atBound = ClientHelloParser.MaxClientHelloLength;
        byte[] ok = [22, 3, 1, 0, 4, 1, (byte)(atBound >> 16), (byte)(atBound >> 8), (byte)atBound];
        var over = atBound + 1;
        byte[] tooLong = [22, 3, 1, 0, 4, 1, (byte)(over >> 16), (byte)(over >> 8), (byte)over];

        Assert.Equal(TlsParseStatus.Incomplete, ClientHelloParser.Parse(ok).Status);
        Assert.Equal(TlsAlert.DecodeError, ClientHelloParser.Parse(tooLong).Alert);
    }

    [Fact]
    public void A_duplicate_extension_is_an_illegal_parameter()
    {
        var flight = ClientHelloBuilder.Build(sni: null, alpn: [], supportedVersions: [], extendedMasterSecret: false, renegotiationInfo: false, ecPointFormats: false);

        // The builder always adds supported_groups (10) and session_ticket (35): turn session_ticket into a second supported_groups.
        var index = flight.AsSpan().IndexOf(new byte[] { 0, 35, 0, 0 });
        var patched = flight.ToArray();
        patched[index + 1] = 10;

        Assert.Equal(TlsAlert.IllegalParameter, ClientHelloParser.Parse(patched).Alert);
    }

    [Fact]
    public void Nmap_sslv3_probe_parses_and_is_refused_by_version()
    {
        byte[] probe = Convert.FromHexString(
            "16030000530100004f03003f47d7f7ba2ceeeab2607ef300fd827bb9d596c8779be6c4db3c3ddb6fef106e00002800160013000a0066000500040065006400630062006100600015001200090014001100080006000301" + "00");

        var result = ClientHelloParser.Parse(probe);

        Assert.Equal(TlsParseStatus.Complete, result.Status);
        Assert.Null(ServerHelloBuilder.ChooseVersion(result.Hello!));
    }

    [Fact]
    public void Random_and_mutated_input_never_throws()
    {
        var random = new Random(4242);
        var valid = ClientHelloBuilder.Build(recordSplit: 100);
        var buffer = new byte[700];
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            if (i % 2 == 0 && length > 0)
            {
                buffer[0] = 22;
            }

            Assert.True(Enum.IsDefined(ClientHelloParser.Parse(buffer.AsSpan(0, length)).Status));

            var mutated = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            var result = ClientHelloParser.Parse(mutated.AsSpan(0, random.Next(mutated.Length + 1)));
            Assert.True(result.Status != TlsParseStatus.Complete || result.Hello is not null);
        }
    }
}
