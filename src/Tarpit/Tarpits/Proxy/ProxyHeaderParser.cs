namespace Tarpit.Tarpits.Proxy;

/// <summary>
/// Reads a PROXY protocol header, v1 (text) or v2 (binary), from the first bytes of a connection (HAProxy's
/// proxy-protocol.txt). Pure: it is given everything received so far (the engine peeks at the socket, so the bytes
/// after the header stay for the tarpit's protocol) and answers <see cref="ProxyHeaderStatus.Incomplete"/> while they
/// are a valid prefix. Strict where the spec is: the v1 line is at most 107 bytes and single-spaced, v2's signature,
/// version, command and address block are checked; TLVs are skipped, within <see cref="MaxV2Length"/>.
/// </summary>
internal static partial class ProxyHeaderParser
{
    /// <summary>§2.1: "a receiver … only has to read up to 107 characters", the worst case line including the CRLF.</summary>
    public const int MaxV1Length = 107;

    /// <summary>§2.2: the binary header is a 16-byte block: 12 signature bytes, version/command, family/transport, length.</summary>
    public const int V2FixedLength = 16;

    /// <summary>
    /// The longest v2 header we take, TLVs included (our bound; the 16-bit length field would allow 64 KiB): 536 bytes,
    /// the minimum TCP segment (RFC 879), so a header arrives in one segment; it holds the largest address block of §2.2
    /// (AF_UNIX, 216 bytes) with room for TLVs. A longer header is refused, whatever its length field says.
    /// </summary>
    public const int MaxV2Length = 536;

    /// <summary>The most bytes <see cref="Read"/> ever needs to decide: what the engine peeks at.</summary>
    public const int MaxLength = MaxV2Length;

    /// <summary>§2.2: the v2 signature, <c>\r\n\r\n\0\r\nQUIT\n</c>.</summary>
    public static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>§2.1: the v1 line starts with "PROXY" and one space.</summary>
    public static ReadOnlySpan<byte> V1Signature => "PROXY "u8;

    /// <summary>
    /// Decides what <paramref name="received"/> (everything read so far, from the first byte) is; <paramref name="problem"/>
    /// says why when <see cref="ProxyHeaderStatus.Invalid"/> (our words, safe to log).
    /// </summary>
    public static ProxyHeaderStatus Read(ReadOnlySpan<byte> received, out ProxyHeader header, out string? problem)
    {
        header = default;
        problem = null;
        if (received.IsEmpty)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        if (received[0] == V2Signature[0])
        {
            return IsPrefix(received, V2Signature)
                ? ReadV2(received, out header, out problem)
                : Invalid("the first bytes are neither a PROXY v1 line nor the v2 signature", out problem);
        }

        return IsPrefix(received, V1Signature)
            ? ReadV1(received, out header, out problem)
            : Invalid("the first bytes are neither a PROXY v1 line nor the v2 signature", out problem);
    }

    /// <summary>True while <paramref name="received"/> agrees with <paramref name="signature"/> as far as both go.</summary>
    private static bool IsPrefix(ReadOnlySpan<byte> received, ReadOnlySpan<byte> signature)
    {
        var length = Math.Min(received.Length, signature.Length);
        return received[..length].SequenceEqual(signature[..length]);
    }

    private static ProxyHeaderStatus Invalid(string why, out string? problem)
    {
        problem = why;
        return ProxyHeaderStatus.Invalid;
    }
}
