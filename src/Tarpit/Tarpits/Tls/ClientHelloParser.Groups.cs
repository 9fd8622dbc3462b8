using System.Buffers.Binary;

namespace Tarpit.Tarpits.Tls;

/// <summary>The extensions that choose the key exchange and signature of a ServerKeyExchange or TLS 1.3 ServerHello.</summary>
internal static partial class ClientHelloParser
{
    /// <summary>
    /// RFC 8422 §5.1.1: NamedCurve named_curve_list&lt;2..2^16-1&gt;. OpenSSL without server preference takes the
    /// client's first group it supports: we keep the first of x25519 and secp256r1.
    /// </summary>
    private static bool ParseGroups(ReadOnlySpan<byte> data, ref Extensions found)
    {
        if (!new TlsReader(data).TryReadVector16(2, 0xFFFE, out var groups) || groups.Length != data.Length - 2 || groups.Length % 2 != 0)
        {
            return false;
        }

        found.GroupsSeen = true;
        for (var i = 0; i < groups.Length; i += 2)
        {
            var group = BinaryPrimitives.ReadUInt16BigEndian(groups[i..]);
            if (found.Group == 0 && group is TlsGroups.X25519 or TlsGroups.Secp256r1)
            {
                found.Group = group;
            }
        }

        return true;
    }

    /// <summary>RFC 8446 §4.2.8: KeyShareEntry client_shares&lt;0..2^16-1&gt;, each group and key_exchange&lt;1..2^16-1&gt;.</summary>
    private static bool ParseKeyShares(ReadOnlySpan<byte> data, ref Extensions found)
    {
        var outer = new TlsReader(data);
        if (!outer.TryReadVector16(0, 0xFFFF, out var list) || !outer.IsEmpty)
        {
            return false;
        }

        var reader = new TlsReader(list);
        while (!reader.IsEmpty)
        {
            if (!reader.TryReadUInt16(out var group) || !reader.TryReadVector16(1, 0xFFFF, out var key))
            {
                return false;
            }

            var usable = (group == TlsGroups.X25519 && key.Length == TlsGroups.X25519KeyLength)
                || (group == TlsGroups.Secp256r1 && key.Length == TlsGroups.Secp256r1KeyLength);
            if (found.Share == 0 && usable)
            {
                found.Share = group;
            }
        }

        return true;
    }

    /// <summary>RFC 8446 §4.2.3: SignatureScheme supported_signature_algorithms&lt;2..2^16-2&gt;.</summary>
    private static bool ParseSignatureAlgorithms(ReadOnlySpan<byte> data, ref Extensions found)
    {
        if (!new TlsReader(data).TryReadVector16(2, 0xFFFE, out var schemes) || schemes.Length != data.Length - 2 || schemes.Length % 2 != 0)
        {
            return false;
        }

        found.SignatureAlgorithms = new ushort[schemes.Length / 2];
        for (var i = 0; i < schemes.Length; i += 2)
        {
            var scheme = BinaryPrimitives.ReadUInt16BigEndian(schemes[i..]);
            found.SignatureAlgorithms[i / 2] = scheme;
            found.RsaPss |= scheme == RsaPssRsaeSha256;
        }

        return true;
    }
}
