namespace Tarpit.Tarpits.Tls;

/// <summary>
/// <c>endless-hello-request</c>: after a valid ClientHello, one HelloRequest handshake record per interval, forever
/// (RFC 5246 §7.4.1.1: type 0, empty body; "clients SHOULD ignore" it while a handshake is under way, and OpenSSL
/// does), so the client keeps waiting for a ServerHello that never comes.
/// A session remembers only its position inside the 9-byte record.
/// </summary>
internal sealed class EndlessHelloRequestSession(TlsTarpit tarpit) : TlsSession(tarpit)
{
    private const int RecordLength = TlsRecord.HeaderLength + TlsRecord.HandshakeHeaderLength;

    private ushort version;
    private byte sentInRecord;
    private byte lastWritten;

    protected override SessionStep Begin(ref SessionContext context, byte[] serverHello, ushort negotiated)
    {
        version = negotiated;
        sentInRecord = 0;
        lastWritten = 0;
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }

    protected override SessionStep Continue(ref SessionContext context)
    {
        // The kernel may have taken only part of the last record (a client that stopped reading): finish it first.
        sentInRecord = (byte)((sentInRecord + Math.Min(context.LastSent, lastWritten)) % RecordLength);
        Span<byte> record = stackalloc byte[RecordLength];
        TlsRecord.WriteHeader(record, TlsRecord.Handshake, version, TlsRecord.HandshakeHeaderLength);
        record[TlsRecord.HeaderLength] = TlsRecord.HelloRequestType;
        record[sentInRecord..].CopyTo(context.Output);
        context.Written = RecordLength - sentInRecord;
        lastWritten = (byte)context.Written;
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }
}
