using System.Net;
using System.Net.Sockets;
using System.Text;
using Tarpit.Net;

namespace Tarpit.Tarpits.Proxy;

/// <summary>§2.1, the human-readable header: <c>PROXY TCP4 192.0.2.7 198.51.100.1 56324 443\r\n</c>.</summary>
internal static partial class ProxyHeaderParser
{
    /// <summary>§2.1: a port is 0-65535 in decimal.</summary>
    private const int MaxPortDigits = 5;

    private static ProxyHeaderStatus ReadV1(ReadOnlySpan<byte> received, out ProxyHeader header, out string? problem)
    {
        header = default;
        problem = null;
        var end = received.IndexOf("\r\n"u8);
        if (end < 0)
        {
            if (received.Length >= MaxV1Length)
            {
                return Invalid($"the PROXY v1 line has no CRLF within {MaxV1Length} bytes (§2.1)", out problem);
            }

            // A control byte (a lone LF, a NUL) can never become a valid line: decided now, not at 107 bytes. Only a
            // CR as the last byte so far may still be followed by its LF.
            var control = received.IndexOfAnyInRange((byte)0, (byte)0x1F);
            var pendingCr = control == received.Length - 1 && received[control] == '\r';
            return control >= 0 && !pendingCr
                ? Invalid("the PROXY v1 line holds a control byte", out problem)
                : ProxyHeaderStatus.Incomplete;
        }

        var length = end + 2;
        if (length > MaxV1Length)
        {
            return Invalid($"the PROXY v1 line is {length} bytes long, at most {MaxV1Length} are allowed (§2.1)", out problem);
        }

        // "PROXY" SP protocol [SP source SP destination SP sport SP dport] CRLF, single spaces only.
        Span<char> chars = stackalloc char[MaxV1Length];
        var line = chars[..Encoding.ASCII.GetChars(received[V1Signature.Length..end], chars)];
        Span<Range> parts = stackalloc Range[6];
        var count = line.Split(parts, ' ');
        var protocol = line[parts[0]];
        if (protocol.SequenceEqual("UNKNOWN"))
        {
            // §2.1: the receiver must ignore what follows UNKNOWN and use the connection's own addresses.
            header = new ProxyHeader(length, 1, null, null);
            return ProxyHeaderStatus.Complete;
        }

        var family = protocol.SequenceEqual("TCP4") ? AddressFamily.InterNetwork
            : protocol.SequenceEqual("TCP6") ? AddressFamily.InterNetworkV6
            : AddressFamily.Unknown;
        if (family == AddressFamily.Unknown)
        {
            return Invalid("the PROXY v1 protocol is not TCP4, TCP6 or UNKNOWN", out problem);
        }

        if (count != 5)
        {
            return Invalid("the PROXY v1 line does not have exactly four single-spaced fields after the protocol", out problem);
        }

        if (!TryAddress(line[parts[1]], family, out var source) || !TryAddress(line[parts[2]], family, out var destination))
        {
            return Invalid($"a PROXY v1 address is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address", out problem);
        }

        if (!TryPort(line[parts[3]], out var sourcePort) || !TryPort(line[parts[4]], out var destinationPort))
        {
            return Invalid("a PROXY v1 port is not a decimal 0-65535 without leading zeros", out problem);
        }

        header = new ProxyHeader(length, 1, new IPEndPoint(Networks.Unmap(source!), sourcePort), new IPEndPoint(Networks.Unmap(destination!), destinationPort));
        return ProxyHeaderStatus.Complete;
    }

    private static bool TryAddress(ReadOnlySpan<char> text, AddressFamily family, out IPAddress? address) =>
        AddressSyntax.Read(text, out address) == AddressProblem.None && address!.AddressFamily == family;

    private static bool TryPort(ReadOnlySpan<char> text, out int port)
    {
        port = 0;
        if (text.IsEmpty || text.Length > MaxPortDigits || (text[0] == '0' && text.Length > 1))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            port = (port * 10) + (c - '0');
        }

        return port <= IPEndPoint.MaxPort;
    }
}
