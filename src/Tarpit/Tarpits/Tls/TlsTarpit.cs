using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tarpit.Config;
using Tarpit.Tarpits.Http;

namespace Tarpit.Tarpits.Tls;

/// <summary>
/// What every session of one TLS <c>[[tarpit]]</c> shares: timing, a self-signed RSA certificate made once at start
/// for the host name (like Debian's snakeoil certificate nginx serves by default): for slow-hello as the Certificate
/// record that follows the ServerHello, for handshake-drip as the certificate of the real TLS server
/// (<see cref="TlsTunnel"/>), and the HTTP drip served inside it.
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

    /// <summary>Debian's make-ssl-cert gives the snakeoil certificate 10 years (openssl req -days 3650).</summary>
    private const int CertificateYears = 10;

    private readonly byte[] _certificateRecord;
    private readonly byte[] _certificateDer;
    private NginxTlsContext? _server;
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
        var certificate = CreateCertificate(_key, HostName());
        _certificateRecord = CertificateRecord(TlsRecord.Tls12, certificate.RawData);
        _certificateDer = certificate.RawData;
        Http = new HttpTarpit(
            config,
            new HttpTarpitOptions(TarpitSection.DefaultContentLength, TarpitSection.DefaultBombSize, TarpitSection.DefaultRealm),
            Random.Shared);
        using var ecdh = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var point = ecdh.ExportParameters(false).Q;
        _p256Point = [4, .. point.X!, .. point.Y!];
    }

    public TimeSpan Interval { get; }

    public double Jitter { get; }

    public int DripBytes { get; }

    public bool VerifyClient { get; }

    /// <summary>
    /// The real TLS server's OpenSSL context with this tarpit's certificate and key, made on the first handshake-drip
    /// client (a tarpit of another mode never needs it) and shared by every session after.
    /// </summary>
    public NginxTlsContext Server => LazyInitializer.EnsureInitialized(ref _server, () => new NginxTlsContext(_certificateDer, _key));

    /// <summary>The addresses that sent nmap's service-scan probe lately: their next connections complete the handshake.</summary>
    public ScannerMemory Scanners { get; } = new();

    /// <summary>What a client that completed the handshake is served: the HTTP <c>drip</c> with this tarpit's timing.</summary>
    public HttpTarpit Http { get; }

    /// <summary>The plaintext output of the HTTP session inside TLS (scheduler thread only, like every session call).</summary>
    public byte[] PlaintextOutput { get; } = new byte[SessionContext.MinOutputCapacity];

    /// <summary>The client's plaintext for one step of the HTTP session inside TLS (scheduler thread only).</summary>
    public byte[] PlaintextInput { get; } = new byte[TlsTunnel.PlaintextChunk];

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

    /// <summary>The snakeoil certificate's subject: the host's name (make-ssl-cert uses <c>hostname -f</c>).</summary>
    private static string HostName()
    {
        var name = System.Net.Dns.GetHostName();
        return name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') ? name : "localhost";
    }

    private static X509Certificate2 CreateCertificate(RSA key, string hostName)
    {
        var request = new CertificateRequest("CN=" + hostName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        request.CertificateExtensions.Add(names.Build());
        var notBefore = DateTimeOffset.UtcNow.AddDays(-Random.Shared.Next(30, 300));
        return request.CreateSelfSigned(notBefore, notBefore.AddYears(CertificateYears));
    }
}
