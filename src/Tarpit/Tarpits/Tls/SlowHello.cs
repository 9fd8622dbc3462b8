namespace Tarpit.Tarpits.Tls;

/// <summary>
/// <c>slow-hello</c>: a valid TLS 1.2 ServerHello built for this client, then the server's Certificate record, both
/// dripped <c>drip_bytes</c> per interval; the Certificate's last byte is never sent, so the client's TLS stack,
/// which waits for whole records, keeps waiting without ever seeing an error (see docs/BENCHMARKS.md, TLS).
/// </summary>
internal sealed class SlowHello(TlsTarpit tarpit) : ITarpitMode
{
    public string Name => "slow-hello";

    public ITarpitSession Open(in SessionOpen open) => new SlowHelloSession(tarpit);
}
