namespace Tarpit.Tarpits.Tls;

/// <summary>The offered extensions a TLS 1.2 ServerHello may answer (a server must never answer one not offered).</summary>
[Flags]
internal enum ClientHelloExtensions
{
    None = 0,
    ServerName = 1 << 0,
    EcPointFormats = 1 << 1,
    SessionTicket = 1 << 2,
    Alpn = 1 << 3,
    ExtendedMasterSecret = 1 << 4,

    /// <summary>The renegotiation_info extension or the TLS_EMPTY_RENEGOTIATION_INFO_SCSV suite (RFC 5746 §3.4).</summary>
    RenegotiationInfo = 1 << 5,
    SupportedVersions = 1 << 6,
}
