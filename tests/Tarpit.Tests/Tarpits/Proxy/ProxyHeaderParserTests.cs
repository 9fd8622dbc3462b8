using System.Net;
using System.Text;
using Tarpit.Tarpits.Proxy;

namespace Tarpit.Tests.Tarpits.Proxy;

public sealed class ProxyHeaderParserTests
{
    [Fact]
    public void A_v1_TCP4_line_names_the_client_and_the_port_it_asked_for()
    {
        var bytes = "PROXY TCP4 192.0.2.7 198.51.100.1 56324 443\r\nGET / HTTP/1.1\r\n"u8;

        var status = ProxyHeaderParser.Read(bytes, out var header, out _);

        Assert.Equal(ProxyHeaderStatus.Complete, status);
        Assert.Equal("PROXY TCP4 192.0.2.7 198.51.100.1 56324 443\r\n".Length, header.Length);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 56324), header.Source);
        Assert.Equal(443, header.Destination!.Port);
    }

    [Fact]
    public void A_v1_TCP6_line_is_read()
    {
        var status = ProxyHeaderParser.Read("PROXY TCP6 2001:db8::7 2001:db8::1 4711 22\r\n"u8, out var header, out _);

        Assert.Equal(ProxyHeaderStatus.Complete, status);
        Assert.Equal(IPAddress.Parse("2001:db8::7"), header.Source!.Address);
        Assert.Equal(22, header.Destination!.Port);
    }

    [Fact]
    public void A_v1_UNKNOWN_line_names_no_client()
    {
        var status = ProxyHeaderParser.Read("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n"u8, out var header, out _);

        Assert.Equal(ProxyHeaderStatus.Complete, status);
        Assert.Null(header.Source);
    }

    [Fact]
    public void The_longest_v1_line_of_107_bytes_is_taken_and_one_byte_more_is_not()
    {
        // §2.1's worst case: "PROXY UNKNOWN " and two full IPv6 addresses and ports: 107 bytes with the CRLF.
        var longest = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
        Assert.Equal(ProxyHeaderParser.MaxV1Length, longest.Length);

        Assert.Equal(ProxyHeaderStatus.Complete, ProxyHeaderParser.Read(Encoding.ASCII.GetBytes(longest), out _, out _));
        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyHeaderParser.Read(Encoding.ASCII.GetBytes(longest.Insert(20, "f")), out _, out var problem));
        Assert.Contains("107", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_v1_line_without_CRLF_waits_until_107_bytes_and_is_then_refused()
    {
        var start = Encoding.ASCII.GetBytes("PROXY UNKNOWN " + new string('f', ProxyHeaderParser.MaxV1Length));

        Assert.Equal(ProxyHeaderStatus.Incomplete, ProxyHeaderParser.Read(start.AsSpan(0, ProxyHeaderParser.MaxV1Length - 1), out _, out _));
        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyHeaderParser.Read(start.AsSpan(0, ProxyHeaderParser.MaxV1Length), out _, out _));
    }

    [Theory]
    [InlineData("PROX")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 56324 44")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 56324 443\r")]
    public void A_truncated_v1_line_is_incomplete(string text)
    {
        Assert.Equal(ProxyHeaderStatus.Incomplete, ProxyHeaderParser.Read(Encoding.ASCII.GetBytes(text), out _, out _));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n")]
    [InlineData("proxy TCP4 192.0.2.7 198.51.100.1 1 2\r\n")]
    [InlineData("PROXY TCP5 192.0.2.7 198.51.100.1 1 2\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7  198.51.100.1 1 2\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 1\r\n")]
    [InlineData("PROXY TCP4 2001:db8::7 198.51.100.1 1 2\r\n")]
    [InlineData("PROXY TCP6 192.0.2.7 2001:db8::1 1 2\r\n")]
    [InlineData("PROXY TCP4 192.0.2.07 198.51.100.1 1 2\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 65536 2\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 080 2\r\n")]
    [InlineData("PROXY TCP4 192.0.2.7 198.51.100.1 1 2\n")]
    [InlineData("PROXY TCP4 192.0.2.7\n")]
    public void A_bad_v1_line_or_no_PROXY_header_at_all_is_invalid(string text)
    {
        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyHeaderParser.Read(Encoding.ASCII.GetBytes(text), out _, out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void A_v2_PROXY_header_over_IPv4_names_the_client_and_skips_the_TLVs()
    {
        byte[] tlv = [0x04, 0x00, 0x03, 1, 2, 3]; // PP2_TYPE_NOOP with 3 bytes
        var bytes = V2(0x21, 0x11, [192, 0, 2, 7, 198, 51, 100, 1, 0xDC, 0x04, 0x01, 0xBB, .. tlv]);

        var status = ProxyHeaderParser.Read([.. bytes, .. "GET"u8], out var header, out _);

        Assert.Equal(ProxyHeaderStatus.Complete, status);
        Assert.Equal(bytes.Length, header.Length);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 0xDC04), header.Source);
        Assert.Equal(443, header.Destination!.Port);
    }

    [Fact]
    public void A_v2_PROXY_header_over_IPv6_is_read()
    {
        var source = IPAddress.Parse("2001:db8::7").GetAddressBytes();
        var destination = IPAddress.Parse("2001:db8::1").GetAddressBytes();
        var bytes = V2(0x21, 0x21, [.. source, .. destination, 0x12, 0x67, 0x00, 0x16]);

        Assert.Equal(ProxyHeaderStatus.Complete, ProxyHeaderParser.Read(bytes, out var header, out _));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 4711), header.Source);
        Assert.Equal(22, header.Destination!.Port);
    }

    [Fact]
    public void A_v2_LOCAL_command_leaves_the_peer_as_the_client()
    {
        var bytes = V2(0x20, 0x00, []);

        Assert.Equal(ProxyHeaderStatus.Complete, ProxyHeaderParser.Read(bytes, out var header, out _));
        Assert.Equal(ProxyHeaderParser.V2FixedLength, header.Length);
        Assert.Null(header.Source);
    }

    [Fact]
    public void A_v2_PROXY_header_of_another_family_names_no_client()
    {
        var bytes = V2(0x21, 0x31, new byte[216]); // AF_UNIX stream

        Assert.Equal(ProxyHeaderStatus.Complete, ProxyHeaderParser.Read(bytes, out var header, out _));
        Assert.Null(header.Source);
    }

    [Fact]
    public void A_truncated_v2_header_is_incomplete_at_every_length()
    {
        var bytes = V2(0x21, 0x11, [192, 0, 2, 7, 198, 51, 100, 1, 0, 1, 0, 2]);

        for (var length = 1; length < bytes.Length; length++)
        {
            Assert.Equal(ProxyHeaderStatus.Incomplete, ProxyHeaderParser.Read(bytes.AsSpan(0, length), out _, out _));
        }

        Assert.Equal(ProxyHeaderStatus.Complete, ProxyHeaderParser.Read(bytes, out _, out _));
    }

    [Fact]
    public void The_v2_length_is_taken_up_to_536_bytes_and_refused_past_it()
    {
        var largest = V2(0x21, 0x11, [192, 0, 2, 7, 198, 51, 100, 1, 0, 1, 0, 2, .. new byte[ProxyHeaderParser.MaxV2Length - ProxyHeaderParser.V2FixedLength - 12]]);
        Assert.Equal(ProxyHeaderParser.MaxV2Length, largest.Length);

        Assert.Equal(ProxyHeaderStatus.Complete, ProxyHeaderParser.Read(largest, out _, out _));
        var tooLong = V2(0x21, 0x11, new byte[ProxyHeaderParser.MaxV2Length - ProxyHeaderParser.V2FixedLength + 1]);
        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyHeaderParser.Read(tooLong.AsSpan(0, ProxyHeaderParser.V2FixedLength), out _, out var problem));
        Assert.Contains("536", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_v2_address_block_too_short_for_its_family_is_invalid()
    {
        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyHeaderParser.Read(V2(0x21, 0x11, new byte[11]), out _, out _));
        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyHeaderParser.Read(V2(0x21, 0x21, new byte[35]), out _, out _));
    }

    [Theory]
    [InlineData(0x11)] // version 1 in the binary form
    [InlineData(0x22)] // command 2
    [InlineData(0x2F)]
    public void A_v2_header_with_a_bad_version_or_command_is_invalid(byte versionCommand)
    {
        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyHeaderParser.Read(V2(versionCommand, 0x11, new byte[12]), out _, out _));
    }

    [Fact]
    public void A_bad_v2_signature_is_invalid_as_soon_as_it_differs()
    {
        byte[] bytes = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x58];

        Assert.Equal(ProxyHeaderStatus.Incomplete, ProxyHeaderParser.Read(bytes.AsSpan(0, 10), out _, out _));
        Assert.Equal(ProxyHeaderStatus.Invalid, ProxyHeaderParser.Read(bytes, out _, out _));
    }

    private static byte[] V2(byte versionCommand, byte familyTransport, byte[] block) =>
        [.. ProxyHeaderParser.V2Signature, versionCommand, familyTransport, (byte)(block.Length >> 8), (byte)block.Length, .. block];
}
