using System.Net;
using System.Net.Sockets;

namespace Tarpit.Net;

/// <summary>
/// The one reader of address text, under <see cref="NetworkText"/> (config, verbs, fail2ban), <see cref="LogAddress"/>
/// (log lines) and listen addresses. IPv4 only as a dotted quad: exactly four decimal parts 0-255 without leading zeros
/// (the strict form of RFC 6943 §3.1.1; inet_aton's shorthand <c>10.1</c>, <c>0x7f.0.0.1</c> and <c>167772161</c> are
/// refused). IPv6 as RFC 4291 §2.2 text, its IPv4 tail (form 3) held to the same dotted-quad rules, without a zone id.
/// Span-based: the only allocation is the <see cref="IPAddress"/> returned. IPv4-mapped IPv6 comes back as read;
/// <see cref="Networks.Unmap(IPAddress)"/> is for callers that want IPv4.
/// </summary>
internal static class AddressSyntax
{
    /// <summary>
    /// The longest address text: IPv6 with an IPv4 tail, RFC 4291 §2.2 form 3, six 4-digit groups and a dotted quad
    /// (<c>1234:1234:1234:1234:1234:1234:255.255.255.255</c>).
    /// </summary>
    public const int MaxAddressLength = 45;

    /// <summary>A dotted quad is four parts, one per byte of the 32-bit address (RFC 791 §3.2, RFC 6943 §3.1.1).</summary>
    private const int QuadParts = 4;

    /// <summary>The largest value of one dotted-quad part: one byte.</summary>
    public const int MaxPartValue = 255;

    /// <summary>Reads <paramref name="text"/>; <paramref name="address"/> is set only when the answer is <see cref="AddressProblem.None"/>.</summary>
    public static AddressProblem Read(ReadOnlySpan<char> text, out IPAddress? address)
    {
        address = null;
        if (text.IsEmpty)
        {
            return AddressProblem.Empty;
        }

        if (text.Length > MaxAddressLength)
        {
            return AddressProblem.TooLong;
        }

        if (text.Contains('%'))
        {
            return AddressProblem.ZoneId;
        }

        Span<byte> quad = stackalloc byte[QuadParts];
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            var problem = ReadQuad(text, quad);
            if (problem == AddressProblem.None)
            {
                address = new IPAddress(quad);
            }

            return problem;
        }

        // Only hex digits, colons and the dots of an IPv4 tail: IPAddress.TryParse would also take brackets, a port
        // or a "/prefix" and drop them.
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c) && c is not ':' and not '.')
            {
                return AddressProblem.NotAnAddress;
            }
        }

        if (text.Contains('.'))
        {
            var tail = ReadQuad(text[(colon + 1)..], quad);
            if (tail != AddressProblem.None)
            {
                return tail;
            }
        }

        if (!IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return AddressProblem.NotAnAddress;
        }

        address = v6;
        return AddressProblem.None;
    }

    /// <summary>The clause a message gives for <paramref name="problem"/>, e.g. "leading zeros are not allowed (…)".</summary>
    public static string Reason(AddressProblem problem) => problem switch
    {
        AddressProblem.LeadingZero => "leading zeros are not allowed (some tools read 010 as octal 8, others as decimal 10)",
        AddressProblem.PartTooLarge => $"each part of an IPv4 address is at most {MaxPartValue}",
        AddressProblem.ZoneId => "zone ids like %eth0 are not allowed (they name an interface, not an address)",
        AddressProblem.TooLong => $"an address is at most {MaxAddressLength} characters (RFC 4291 §2.2)",
        _ => "host names are not resolved, and IPv4 is written as four decimal parts (a.b.c.d)",
    };

    /// <summary>
    /// Reads a dotted quad into <paramref name="bytes"/>. Shape first (four non-empty runs of digits), then leading
    /// zeros, then range, so that <c>010.1</c> is "not an address" and <c>010.0.0.1</c> is "leading zero".
    /// </summary>
    private static AddressProblem ReadQuad(ReadOnlySpan<char> text, Span<byte> bytes)
    {
        var parts = 0;
        var digits = 0;
        var value = 0;
        var leadingZero = false;
        var tooLarge = false;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '.')
            {
                if (digits == 0 || parts == QuadParts)
                {
                    return AddressProblem.NotAnAddress;
                }

                tooLarge |= value > MaxPartValue;
                bytes[parts++] = (byte)Math.Min(value, MaxPartValue);
                (digits, value) = (0, 0);
                continue;
            }

            var c = text[i];
            if (!char.IsAsciiDigit(c))
            {
                return AddressProblem.NotAnAddress;
            }

            leadingZero |= digits == 1 && value == 0;
            value = Math.Min((value * 10) + (c - '0'), MaxPartValue + 1);
            digits++;
        }

        return parts != QuadParts ? AddressProblem.NotAnAddress
            : leadingZero ? AddressProblem.LeadingZero
            : tooLarge ? AddressProblem.PartTooLarge
            : AddressProblem.None;
    }
}
