using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tarpit.Config;

namespace Tarpit.Tarpits.Tls;

/// <summary>
/// What every session of one TLS <c>[[tarpit]]</c> shares: timing, and for slow-hello the Certificate record that
/// follows the ServerHello (a self-signed RSA certificate made once at start, like a default snakeoil nginx).
/// </summary>
internal sealed class TlsTarpit
{
    /// <summary>A silent client is never spoken to first (a TLS server waits for the ClientHello); re-armed until max_hold.</summary>
    public static readonly TimeSpan SilentWait = TimeSpan.FromMinutes(10);

    /// <summary>A started ClientHello must complete within this (nginx <c>ssl_handshake_timeout</c> default, 60 s).</summary>
    public static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A short random pause before an alert: a fixed one would be a timing fingerprint.</summary>
    public static readonly TimeSpan MinAlertDelay = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan MaxAlertDelay = TimeSpan.FromMilliseconds(300);

    private readonly byte[][] _certificateRecords;

    public TlsTarpit(TarpitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Interval = config.Interval;
        Jitter = config.Jitter;
        DripBytes = Math.Clamp(config.DripBytes, 1, SessionContext.MinOutputCapacity);
        VerifyClient = config.VerifyClient;
        var certificate = CreateCertificate();
        _certificateRecords = [CertificateRecord(TlsRecord.Tls10, certificate), CertificateRecord(TlsRecord.Tls11, certificate), CertificateRecord(TlsRecord.Tls12, certificate)];
    }

    public TimeSpan Interval { get; }

    public double Jitter { get; }

    public int DripBytes { get; }

    public bool VerifyClient { get; }

    public TimeSpan NextInterval(Random random) => Tarpits.Jitter.Next(Interval, Jitter, random);

    /// <summary>The Certificate handshake record for a negotiated version (TLS 1.0–1.2).</summary>
    public byte[] CertificateRecordFor(ushort version) => _certificateRecords[Math.Clamp(version - TlsRecord.Tls10, 0, 2)];

    public static TimeSpan AlertDelay(Random random) => MinAlertDelay + ((MaxAlertDelay - MinAlertDelay) * random.NextDouble());

    /// <summary>RFC 5246 §7.4.2: Certificate { ASN.1Cert certificate_list&lt;0..2^24-1&gt;; } in one handshake record.</summary>
    private static byte[] CertificateRecord(ushort version, byte[] der)
    {
        var messageLength = 3 + 3 + der.Length;
        var record = new byte[TlsRecord.HeaderLength + TlsRecord.HandshakeHeaderLength + messageLength];
        var w = new SpanWriter(record);
        w.Skip(TlsRecord.WriteHeader(record, TlsRecord.Handshake, version, TlsRecord.HandshakeHeaderLength + messageLength));
        w.UInt8(TlsRecord.CertificateType);
        w.UInt24(messageLength);
        w.UInt24(3 + der.Length);
        w.UInt24(der.Length);
        w.Bytes(der);
        return record;
    }

    private static byte[] CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        var notBefore = DateTimeOffset.UtcNow.AddDays(-Random.Shared.Next(30, 300));
        using var certificate = request.CreateSelfSigned(notBefore, notBefore.AddYears(10));
        return certificate.RawData;
    }
}
