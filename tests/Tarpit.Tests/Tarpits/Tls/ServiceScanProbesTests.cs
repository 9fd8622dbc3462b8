using Tarpit.Tarpits.Tls;

namespace Tarpit.Tests.Tarpits.Tls;

public sealed class ServiceScanProbesTests
{
    /// <summary><c>Probe TCP SSLSessionReq</c> of nmap-service-probes (nmap 7.93), byte for byte.</summary>
    internal static readonly byte[] SslSessionReq = Convert.FromHexString(
        "16030000530100004f03003f47d7f7ba2ceeeab2607ef300fd827bb9d596c8779be6c4db3c3ddb6fef106e00002800160013000a0066000500040065006400630062006100600015001200090014001100080006000301" + "00");

    /// <summary><c>Probe TCP TLSSessionReq</c> of nmap-service-probes (nmap 7.93), byte for byte.</summary>
    internal static readonly byte[] TlsSessionReq =
    [
        .. Convert.FromHexString("1603000069010000650303551ca7e4"),
        .. "random1random2random3random4"u8,
        .. Convert.FromHexString("00000c002f000a00130039000400ff01000030000d002c002a000100030002060106030602020102030202030103030302040104030402010101030102050105030502"),
    ];

    [Fact]
    public void Both_of_nmaps_tls_probes_are_recognised()
    {
        var ssl = ClientHelloParser.Parse(SslSessionReq);
        var tls = ClientHelloParser.Parse(TlsSessionReq);

        Assert.Equal(TlsParseStatus.Complete, ssl.Status);
        Assert.Equal(TlsParseStatus.Complete, tls.Status);
        Assert.True(ServiceScanProbes.Sent(ssl.Hello!));
        Assert.True(ServiceScanProbes.Sent(tls.Hello!));
    }

    [Fact]
    public void A_hello_with_any_other_random_is_not_a_probe()
    {
        var changed = SslSessionReq.ToArray();
        changed[11 + 31] ^= 1;

        Assert.False(ServiceScanProbes.Sent(ClientHelloParser.Parse(changed).Hello!));
        Assert.False(ServiceScanProbes.Sent(ClientHelloParser.Parse(ClientHelloBuilder.Build()).Hello!));
    }
}
