namespace Tarpit.Tarpits.Tls;

/// <summary>The (EC)DHE groups the tarpit answers, the two every client offers (RFC 8446 §4.2.7, RFC 8422 §5.1.1).</summary>
internal static class TlsGroups
{
    public const ushort X25519 = 0x001D;
    public const ushort Secp256r1 = 0x0017;

    /// <summary>RFC 7748 §6.1: an X25519 public key is 32 bytes.</summary>
    public const int X25519KeyLength = 32;

    /// <summary>SEC 1 §2.3.3: an uncompressed P-256 point is 0x04 || X || Y.</summary>
    public const int Secp256r1KeyLength = 65;

    public static int KeyLength(ushort group) => group == X25519 ? X25519KeyLength : Secp256r1KeyLength;
}
