using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tarpit.Config;

namespace Tarpit.Tarpits.Tls;

/// <summary>
/// What every session of one TLS <c>[[tarpit]]</c> shares: timing, and for slow-hello the Certificate record that
/// follows the ServerHello (a self-signed RSA certificate made once at start, like a default snakeoil nginx).
/// </summary>
internal sealed partial class TlsTarpit
{
    /// <summary>A silent client is never spoken to first (a TLS server waits for the ClientHello); re-armed until max_hold.</summary>
    public static readonly TimeSpan SilentWait = TimeSpan.FromMinutes(10);

    /// <summary>A started ClientHello must complete within this (nginx <c>ssl_handshake_timeout</c> default, 60 s).</summary>
    public static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A short random pause before an alert: a fixed one would be a timing fingerprint.</summary>
    public static readonly TimeSpan MinAlertDelay = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan MaxAlertDelay = TimeSpan.FromMilliseconds(300);

    private readonly byte[] _certificateRecord;
    private readonly RSA _key;
    private readonly byte[] _p256Point;

    public TlsTarpit(TarpitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Interval = config.Interval;
        Jitter = config.Jitter;
        DripBytes = Math.Clamp(config.DripBytes, 1, SessionContext.MinOutputCapacity);
        VerifyClient = config.VerifyClient;
        _key = RSA.Create(2048);
        _certificateRecord = CertificateRecord(TlsRecord.Tls12, CreateCertificate(_key));
        using var ecdh = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var point = ecdh.ExportParameters(false).Q;
        _p256Point = [4, .. point.X!, .. point.Y!];
    }

    public TimeSpan Interval { get; }

    public double Jitter { get; }

    public int DripBytes { get; }

    public bool VerifyClient { get; }

    public TimeSpan NextInterval(Random random) => Tarpits.Jitter.Next(Interval, Jitter, random);

    /// <summary>The TLS 1.2 Certificate handshake record.</summary>
    public byte[] CertificateRecord12 => _certificateRecord;

    /// <summary>
    /// The flight for this client, or null with the alert a server sends instead. <paramref name="full"/>: for TLS 1.2,
    /// the whole first flight a server sends (ServerHello, Certificate, a ServerKeyExchange signed with the
    /// certificate's key, ServerHelloDone) and the stall after the client's; otherwise ServerHello and Certificate.
    /// </summary>
    public ServerFlight? Flight(ClientHello hello, Random random, bool full, out ushort version, out byte alert)
    {
        ArgumentNullException.ThrowIfNull(hello);
        Span<byte> serverRandom = stackalloc byte[32];
        if (ServerHelloBuilder.Build(hello, random, out version, out alert, out var ecdhe, serverRandom, _p256Point) is not { } serverHello)
        {
            return null;
        }

        if (version == TlsRecord.Tls13)
        {
            // RFC 8446 §D.4: a dummy ChangeCipherSpec follows when the client sent a legacy_session_id.
            byte[] hello13 = hello.SessionId.Length > 0 ? [.. serverHello, .. ChangeCipherSpecRecord] : serverHello;
            return new ServerFlight(hello13, EncryptedExtensionsRecord(hello, random), StallAfterClientFlight: false);
        }

        if (!full)
        {
            return new ServerFlight([.. serverHello, .. _certificateRecord], [], StallAfterClientFlight: false);
        }

        byte[] flight = ecdhe
            ? [.. serverHello, .. _certificateRecord, .. ServerKeyExchange(hello, serverRandom, random), .. ServerHelloDoneRecord]
            : [.. serverHello, .. _certificateRecord, .. ServerHelloDoneRecord];
        return new ServerFlight(flight, ServerFinishedFlight(hello, random), StallAfterClientFlight: true);
    }

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

    private static byte[] CreateCertificate(RSA key)
    {
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
