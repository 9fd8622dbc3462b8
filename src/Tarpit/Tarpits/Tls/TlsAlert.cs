namespace Tarpit.Tarpits.Tls;

/// <summary>TLS alert descriptions we send (RFC 8446 §6, RFC 5246 §7.2), and the alert record itself.</summary>
internal static class TlsAlert
{
    public const byte UnexpectedMessage = 10;
    public const byte RecordOverflow = 22;
    public const byte HandshakeFailure = 40;
    public const byte IllegalParameter = 47;
    public const byte DecodeError = 50;
    public const byte ProtocolVersion = 70;

    /// <summary>RFC 8446 §6: AlertLevel fatal(2).</summary>
    private const byte Fatal = 2;

    public const int RecordLength = 7;

    /// <summary>Writes a fatal alert record (content type 21); returns its length.</summary>
    public static int Write(Span<byte> destination, ushort recordVersion, byte description)
    {
        destination[0] = TlsRecord.Alert;
        destination[1] = (byte)(recordVersion >> 8);
        destination[2] = (byte)recordVersion;
        destination[3] = 0;
        destination[4] = 2;
        destination[5] = Fatal;
        destination[6] = description;
        return RecordLength;
    }
}
