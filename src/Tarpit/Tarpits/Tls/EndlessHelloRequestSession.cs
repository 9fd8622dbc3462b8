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

    private ushort _version;
    private byte _sentInRecord;
    private byte _lastWritten;

    protected override SessionStep Begin(ref SessionContext context, byte[] serverHello, ushort negotiated)
    {
        _version = negotiated;
        _sentInRecord = 0;
        _lastWritten = 0;
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }

    protected override SessionStep Continue(ref SessionContext context)
    {
        // The kernel may have taken only part of the last record (a client that stopped reading): finish it first.
        _sentInRecord = (byte)((_sentInRecord + Math.Min(context.LastSent, _lastWritten)) % RecordLength);
        Span<byte> record = stackalloc byte[RecordLength];
        TlsRecord.WriteHeader(record, TlsRecord.Handshake, _version, TlsRecord.HandshakeHeaderLength);
        record[TlsRecord.HeaderLength] = TlsRecord.HelloRequestType;
        record[_sentInRecord..].CopyTo(context.Output);
        context.Written = RecordLength - _sentInRecord;
        _lastWritten = (byte)context.Written;
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }
}
