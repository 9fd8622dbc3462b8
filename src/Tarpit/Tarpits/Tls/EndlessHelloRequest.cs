namespace Tarpit.Tarpits.Tls;

/// <summary>
/// <c>endless-hello-request</c>: after a valid ClientHello, one HelloRequest handshake record per interval, forever
/// (RFC 5246 §7.4.1.1: type 0, empty body; "clients SHOULD ignore" it while a handshake is under way, and OpenSSL
/// does), so the client keeps waiting for a ServerHello that never comes.
/// </summary>
internal sealed class EndlessHelloRequest(TlsTarpit tarpit) : ITarpitMode
{
    public string Name => "endless-hello-request";

    public ITarpitSession Open(in SessionOpen open) => new EndlessHelloRequestSession(tarpit);
}
