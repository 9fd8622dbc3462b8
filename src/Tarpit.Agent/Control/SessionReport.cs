namespace Tarpit.Agent.Control;

/// <summary>One held connection as <c>sessions</c> shows it; <see cref="FirstBytes"/> is escaped by the engine, every other string is ours.</summary>
/// <param name="Address">The client's address as text (<c>192.0.2.7</c>).</param>
/// <param name="Redirected">True when it came through an nft redirect, false when it connected to the tarpit's port directly.</param>
/// <param name="OriginalPort">The port it meant to reach (the tarpit's own port when direct; the port its trusted proxy reported, e.g. <c>X-Tarpit-Target-Port</c>).</param>
/// <param name="Proxy">The trusted proxy it came through, as text (<c>127.0.0.1</c>); null when it came directly or through a redirect.</param>
internal sealed record SessionReport(
    long ConnectionId,
    string Address,
    int Port,
    string Tarpit,
    string Protocol,
    string Mode,
    DateTimeOffset Since,
    double HeldSeconds,
    long BytesSent,
    bool Verified,
    string? FirstBytes,
    bool Redirected,
    int OriginalPort,
    string? CountryCode,
    long? Asn,
    string? AsOrganization,
    string? Proxy = null)
{
    /// <summary>
    /// How it reached the tarpit, the one spelling <c>sessions</c> and <c>show</c> print: <c>via proxy 127.0.0.1 to :443</c>,
    /// <c>redirected from :22</c> or <c>direct</c>.
    /// </summary>
    public string Via() =>
        Proxy is not null ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"via proxy {Proxy} to :{OriginalPort}")
        : Redirected ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"redirected from :{OriginalPort}")
        : "direct";
}
