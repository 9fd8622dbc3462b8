namespace Tarpit.Tarpits.Tls;

/// <summary>The outcome of parsing a ClientHello flight.</summary>
/// <param name="Alert">For <see cref="TlsParseStatus.Invalid"/>: the alert description a real server would send.</param>
internal readonly record struct TlsParseResult(TlsParseStatus Status, ClientHello? Hello = null, byte Alert = 0)
{
    public static TlsParseResult Incomplete => new(TlsParseStatus.Incomplete);

    public static TlsParseResult Invalid(byte alert) => new(TlsParseStatus.Invalid, null, alert);
}
