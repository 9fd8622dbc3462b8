using System.Buffers.Binary;
using System.Net;
using Tarpit.Firewall;

namespace Tarpit.Tests.Firewall;

/// <summary>
/// The nf_tables set-element dump, byte by byte as <c>linux/netfilter/nf_tables.h</c> lays it out (the system test
/// <c>KernelReadSystemTests</c> checks the same against a real kernel and nft).
/// </summary>
public sealed class NftNetlinkTests
{
    [Fact]
    public void The_request_is_a_getsetelem_dump_of_one_set_of_an_inet_table()
    {
        var request = NftNetlink.DumpRequest("tarpit", "offenders_v4", 7);

        Assert.Equal(request.Length, (int)BinaryPrimitives.ReadUInt32LittleEndian(request));
        Assert.Equal((10 << 8) | 13, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(4)));
        Assert.Equal(0x301, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(6)));
        Assert.Equal(7u, BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(8)));
        Assert.Equal(1, request[16]); // NFPROTO_INET
        // NFTA_SET_ELEM_LIST_TABLE "tarpit\0" (11 bytes, padded to 12), then NFTA_SET_ELEM_LIST_SET "offenders_v4\0".
        Assert.Equal(11, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(20)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(22)));
        Assert.Equal("tarpit\0"u8.ToArray(), request[24..31]);
        Assert.Equal(17, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(32)));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(34)));
        Assert.Equal(20 + 12 + 20, request.Length);
    }

    [Fact]
    public void Addresses_come_with_their_timeout_and_time_left_and_a_permanent_one_without()
    {
        var datagram = Concat(
            Message(Element([198, 18, 0, 5], end: false, timeoutMs: 3_600_000, expiresMs: 3_599_250), Element([198, 18, 0, 6], end: false, null, null)),
            Done());
        var raw = new List<NftNetlink.RawElement>();

        var state = NftNetlink.ReadDatagram(datagram, raw, out var errno);

        Assert.Equal(NftNetlink.DumpState.Done, state);
        Assert.Equal(0, errno);
        var elements = NftNetlink.Elements(raw, intervals: false).ToList();
        Assert.Equal(
            [
                new FirewallElement(IPNetwork.Parse("198.18.0.5/32"), TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(3_599_250)),
                new FirewallElement(IPNetwork.Parse("198.18.0.6/32"), null, null),
            ],
            elements);
    }

    [Fact]
    public void An_interval_set_pairs_each_start_with_its_end_in_any_order_and_keeps_only_networks()
    {
        // As an rbtree dumps them: highest key first. 198.18.16.0/20 = [198.18.16.0, 198.18.32.0); the padding end at
        // 0.0.0.0 that nft adds; [198.18.40.1, 198.18.40.4) is a range, not a network; 2001:db8::/32 closes at the top.
        var raw = new List<NftNetlink.RawElement>();
        NftNetlink.ReadDatagram(
            Message(
                Element([198, 18, 40, 4], end: true, null, null),
                Element([198, 18, 40, 1], end: false, 7_200_000, 7_100_000),
                Element([198, 18, 32, 0], end: true, null, null),
                Element([198, 18, 16, 0], end: false, 7_200_000, 7_000_000),
                Element([0, 0, 0, 0], end: true, null, null)),
            raw,
            out _);

        var elements = NftNetlink.Elements(raw, intervals: true).ToList();

        var only = Assert.Single(elements);
        Assert.Equal(new FirewallElement(IPNetwork.Parse("198.18.16.0/20"), TimeSpan.FromHours(2), TimeSpan.FromMilliseconds(7_000_000)), only);
    }

    [Fact]
    public void An_interval_that_runs_to_the_end_of_the_address_space_has_no_end_element()
    {
        var raw = new List<NftNetlink.RawElement>();
        var top = IPAddress.Parse("ffff::").GetAddressBytes();
        NftNetlink.ReadDatagram(Message(Element(top, end: false, null, null)), raw, out _);

        var only = Assert.Single(NftNetlink.Elements(raw, intervals: true));

        Assert.Equal(IPNetwork.Parse("ffff::/16"), only.Target);
    }

    [Fact]
    public void An_error_answer_carries_the_errno()
    {
        var error = new byte[36];
        BinaryPrimitives.WriteUInt32LittleEndian(error, 36);
        BinaryPrimitives.WriteUInt16LittleEndian(error.AsSpan(4), 2); // NLMSG_ERROR
        BinaryPrimitives.WriteInt32LittleEndian(error.AsSpan(16), -2); // -ENOENT

        var state = NftNetlink.ReadDatagram(error, [], out var errno);

        Assert.Equal(NftNetlink.DumpState.Failed, state);
        Assert.Equal(2, errno);
    }

    [Fact]
    public void A_message_without_the_end_of_the_dump_asks_for_more()
    {
        var state = NftNetlink.ReadDatagram(Message(Element([198, 18, 0, 5], end: false, null, null)), [], out _);

        Assert.Equal(NftNetlink.DumpState.More, state);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void A_truncated_message_or_attribute_does_not_parse(int cut)
    {
        var message = Message(Element([198, 18, 0, 5], end: false, 1000, 900));
        var truncated = message[..^cut];
        BinaryPrimitives.WriteUInt32LittleEndian(truncated, (uint)(cut == 3 ? message.Length : truncated.Length));

        Assert.Throws<FormatException>(() => NftNetlink.ReadDatagram(truncated, [], out _));
    }

    private static byte[] Message(params byte[][] elements)
    {
        var list = Attribute(3, Concat(elements), nested: true);
        var body = Concat(new byte[4] { 1, 0, 0, 0 }, list);
        var message = new byte[16 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), (10 << 8) | 12); // NFT_MSG_NEWSETELEM
        body.CopyTo(message, 16);
        return message;
    }

    private static byte[] Done()
    {
        var done = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(done, 20);
        BinaryPrimitives.WriteUInt16LittleEndian(done.AsSpan(4), 3);
        return done;
    }

    private static byte[] Element(byte[] key, bool end, long? timeoutMs, long? expiresMs)
    {
        var parts = new List<byte[]> { Attribute(1, Attribute(1, key, nested: false), nested: true) };
        if (end)
        {
            parts.Add(Attribute(3, BigEndian32(1), nested: false));
        }

        if (timeoutMs is { } timeout)
        {
            parts.Add(Attribute(4, BigEndian64(timeout), nested: false));
        }

        if (expiresMs is { } expires)
        {
            parts.Add(Attribute(5, BigEndian64(expires), nested: false));
        }

        return Attribute(1, Concat([.. parts]), nested: true);
    }

    private static byte[] Attribute(ushort type, byte[] value, bool nested)
    {
        var length = 4 + value.Length;
        var attribute = new byte[(length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(attribute.AsSpan(2), (ushort)(type | (nested ? 0x8000 : 0)));
        value.CopyTo(attribute, 4);
        return attribute;
    }

    private static byte[] BigEndian32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
