namespace Tarpit.Tarpits.Tls;

/// <summary>TLS record layer constants (RFC 8446 §5.1, RFC 5246 §6.2) and handshake framing.</summary>
internal static class TlsRecord
{
    public const byte ChangeCipherSpec = 20;
    public const byte Alert = 21;
    public const byte Handshake = 22;
    public const byte ApplicationData = 23;

    public const byte HelloRequestType = 0;
    public const byte ClientHelloType = 1;
    public const byte ServerHelloType = 2;
    public const byte CertificateType = 11;

    public const int HeaderLength = 5;
    public const int HandshakeHeaderLength = 4;

    /// <summary>RFC 8446 §5.1: "The length MUST NOT exceed 2^14 bytes" (record_overflow otherwise).</summary>
    public const int MaxFragmentLength = 1 << 14;

    public const ushort Ssl3 = 0x0300;
    public const ushort Tls10 = 0x0301;
    public const ushort Tls11 = 0x0302;
    public const ushort Tls12 = 0x0303;
    public const ushort Tls13 = 0x0304;

    /// <summary>Writes a record header; returns its length.</summary>
    public static int WriteHeader(Span<byte> destination, byte contentType, ushort version, int length)
    {
        destination[0] = contentType;
        destination[1] = (byte)(version >> 8);
        destination[2] = (byte)version;
        destination[3] = (byte)(length >> 8);
        destination[4] = (byte)length;
        return HeaderLength;
    }

    /// <summary>RFC 8701: GREASE values (0x?A?A) are ignored wherever they appear.</summary>
    public static bool IsGrease(ushort value) => (value & 0x0F0F) == 0x0A0A && (value >> 8) == (value & 0xFF);
}
