using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Tarpit.Firewall;

/// <summary>
/// The nf_tables netlink messages that list a set's elements (<c>NFT_MSG_GETSETELEM</c> as a dump), and the parsing
/// of the kernel's answer, from <c>linux/netlink.h</c>, <c>linux/netfilter/nfnetlink.h</c> and
/// <c>linux/netfilter/nf_tables.h</c>. This is what <c>nft list set</c> asks the kernel before it prints; reading it
/// directly costs milliseconds where nft takes seconds to build and print 100,000 elements.
/// </summary>
internal static class NftNetlink
{
    /// <summary>Size of <c>struct nlmsghdr</c>.</summary>
    public const int HeaderLength = 16;

    /// <summary>Size of <c>struct nfgenmsg</c>, after the header of every nf_tables message.</summary>
    private const int GenericLength = 4;

    private const ushort NlmsgError = 2;
    private const ushort NlmsgDone = 3;
    private const ushort FlagRequest = 0x1;
    private const ushort FlagDump = 0x300;

    /// <summary><c>NFNL_SUBSYS_NFTABLES &lt;&lt; 8 | NFT_MSG_GETSETELEM</c>.</summary>
    private const ushort GetSetElements = (10 << 8) | 13;

    private const byte FamilyInet = 1;

    // enum nft_set_elem_list_attributes, nft_list_attributes, nft_set_elem_attributes, nft_data_attributes.
    private const ushort ListTable = 1;
    private const ushort ListSet = 2;
    private const ushort ListElements = 3;
    private const ushort ListElement = 1;
    private const ushort ElementKey = 1;
    private const ushort ElementFlags = 3;
    private const ushort ElementTimeout = 4;
    private const ushort ElementExpiration = 5;
    private const ushort DataValue = 1;

    /// <summary><c>NFT_SET_ELEM_INTERVAL_END</c>: the element closes an interval (its key is one past the last address).</summary>
    private const uint IntervalEnd = 0x1;

    /// <summary>The attribute type bits (<c>NLA_TYPE_MASK</c>: without the nested and byte-order flags).</summary>
    private const ushort TypeMask = 0x3fff;

    /// <summary>A dump request for the elements of <paramref name="set"/> in the inet table <paramref name="table"/>.</summary>
    public static byte[] DumpRequest(string table, string set, uint sequence)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(set);
        var length = HeaderLength + GenericLength + AttributeSize(table) + AttributeSize(set);
        var message = new byte[length];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], GetSetElements);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], FlagRequest | FlagDump);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], sequence);
        span[HeaderLength] = FamilyInet;
        var offset = HeaderLength + GenericLength;
        offset += WriteString(span[offset..], ListTable, table);
        WriteString(span[offset..], ListSet, set);
        return message;
    }

    /// <summary>What one datagram of the answer held: more to come, the end of the dump, or an error (a negative errno).</summary>
    internal enum DumpState
    {
        More,
        Done,
        Failed,
    }

    /// <summary>
    /// Reads the netlink messages of one datagram into <paramref name="elements"/>; <paramref name="errno"/> is the
    /// kernel's error when it answered with one (ENOENT: no such table or set). Throws <see cref="FormatException"/>
    /// on a message that does not parse.
    /// </summary>
    public static DumpState ReadDatagram(ReadOnlySpan<byte> datagram, List<RawElement> elements, out int errno)
    {
        ArgumentNullException.ThrowIfNull(elements);
        errno = 0;
        while (datagram.Length >= HeaderLength)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(datagram[4..]);
            if (length < HeaderLength || length > datagram.Length)
            {
                throw new FormatException($"netlink message of {length} bytes in a datagram of {datagram.Length}");
            }

            var body = datagram[HeaderLength..length];
            switch (type)
            {
                case NlmsgDone:
                    return DumpState.Done;
                case NlmsgError:
                    errno = body.Length >= 4 ? -BinaryPrimitives.ReadInt32LittleEndian(body) : 0;
                    return errno == 0 ? DumpState.Done : DumpState.Failed;
                default:
                    if (body.Length >= GenericLength)
                    {
                        ReadElementList(body[GenericLength..], elements);
                    }

                    break;
            }

            datagram = datagram[Math.Min(Align(length), datagram.Length)..];
        }

        return DumpState.More;
    }

    /// <summary>
    /// The elements of one set as the kernel listed them: addresses for a set of addresses; for an interval set, each
    /// start with the end that follows it in address order, kept when the interval is one network (a prefix), as
    /// <see cref="NftJson"/> does with nft's output.
    /// </summary>
    public static IEnumerable<FirewallElement> Elements(IReadOnlyList<RawElement> raw, bool intervals)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (!intervals)
        {
            foreach (var element in raw.Where(e => !e.End))
            {
                var address = new IPAddress(element.Key);
                yield return new FirewallElement(new IPNetwork(address, element.Key.Length * 8), element.Timeout, element.Expires);
            }

            yield break;
        }

        RawElement? start = null;
        foreach (var element in raw.OrderBy(e => Number(e.Key)).ThenBy(e => e.End ? 0 : 1))
        {
            if (!element.End)
            {
                start = element;
                continue;
            }

            if (start is { } open && Network(open.Key, element.Key) is { } network)
            {
                yield return new FirewallElement(network, open.Timeout, open.Expires);
            }

            start = null;
        }

        if (start is { } last && Network(last.Key, null) is { } tail)
        {
            yield return new FirewallElement(tail, last.Timeout, last.Expires);
        }
    }

    /// <summary>One element of a dump: its key (an address, network byte order), whether it ends an interval, its times.</summary>
    internal sealed record RawElement(byte[] Key, bool End, TimeSpan? Timeout, TimeSpan? Expires);

    private static void ReadElementList(ReadOnlySpan<byte> attributes, List<RawElement> elements)
    {
        var lists = new AttributeWalk(attributes);
        while (lists.Next(out var type, out var value))
        {
            if (type != ListElements)
            {
                continue;
            }

            var list = new AttributeWalk(value);
            while (list.Next(out var elementType, out var element))
            {
                if (elementType == ListElement)
                {
                    elements.Add(ReadElement(element));
                }
            }
        }
    }

    private static RawElement ReadElement(ReadOnlySpan<byte> attributes)
    {
        byte[]? key = null;
        var flags = 0u;
        TimeSpan? timeout = null;
        TimeSpan? expires = null;
        var walk = new AttributeWalk(attributes);
        while (walk.Next(out var type, out var value))
        {
            switch (type)
            {
                case ElementKey:
                    var data = new AttributeWalk(value);
                    while (data.Next(out var dataType, out var bytes))
                    {
                        if (dataType == DataValue)
                        {
                            key = bytes.ToArray();
                        }
                    }

                    break;
                case ElementFlags when value.Length >= 4:
                    flags = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case ElementTimeout when value.Length >= 8:
                    timeout = Milliseconds(value);
                    break;
                case ElementExpiration when value.Length >= 8:
                    expires = Milliseconds(value);
                    break;
            }
        }

        return key is { Length: 4 or 16 }
            ? new RawElement(key, (flags & IntervalEnd) != 0, timeout, expires)
            : throw new FormatException($"set element with a key of {key?.Length ?? 0} bytes (an address has 4 or 16)");
    }

    private static TimeSpan Milliseconds(ReadOnlySpan<byte> value) =>
        TimeSpan.FromMilliseconds(Math.Min(BinaryPrimitives.ReadUInt64BigEndian(value), (ulong)TimeSpan.MaxValue.TotalMilliseconds));

    /// <summary>The network <c>[start, end)</c> is, or null when it is not one prefix (a range nft would print as <c>a-b</c>).</summary>
    private static IPNetwork? Network(byte[] start, byte[]? end)
    {
        var bits = start.Length * 8;
        var first = Number(start);
        var space = bits == 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;
        var last = end is null ? space : Number(end) - 1;
        if (last < first)
        {
            return null;
        }

        var size = last - first; // one less than the number of addresses
        if ((size & (size + 1)) != 0 || (first & size) != 0)
        {
            return null;
        }

        var hostBits = size == UInt128.MaxValue ? 128 : 128 - (int)UInt128.LeadingZeroCount(size + 1) - 1;
        return new IPNetwork(new IPAddress(start), bits - hostBits);
    }

    private static UInt128 Number(byte[] key)
    {
        UInt128 value = 0;
        foreach (var b in key)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    /// <summary>
    /// The attributes in a span (type without flags, value), in order, read in place: a dump of 100,000 elements
    /// copied every attribute of every level into its own array. Throws on a truncated attribute.
    /// </summary>
    private ref struct AttributeWalk(ReadOnlySpan<byte> span)
    {
        private ReadOnlySpan<byte> _rest = span;

        public bool Next(out ushort type, out ReadOnlySpan<byte> value)
        {
            if (_rest.Length < 4)
            {
                type = 0;
                value = default;
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
            type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & TypeMask);
            if (length < 4 || length > _rest.Length)
            {
                throw new FormatException($"netlink attribute of {length} bytes in {_rest.Length}");
            }

            value = _rest[4..length];
            _rest = _rest[Math.Min(Align(length), _rest.Length)..];
            return true;
        }
    }

    private static int AttributeSize(string text) => Align(4 + Encoding.UTF8.GetByteCount(text) + 1);

    private static int WriteString(Span<byte> span, ushort type, string text)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(4 + bytes + 1));
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        Encoding.UTF8.GetBytes(text, span[4..]);
        span[4 + bytes] = 0;
        return AttributeSize(text);
    }

    private static int Align(int length) => (length + 3) & ~3;
}
