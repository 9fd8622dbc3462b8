namespace Tarpit.Config;

/// <summary>
/// The one registry of tarpit vocabulary: how the config spells each protocol and its modes, the default mode and
/// banner, and the standard port it stands in for. The engine builds a mode for every name here (a test holds the two
/// to each other); nothing else spells a mode.
/// </summary>
internal static class ModeCatalog
{
    public const string SshEndlessBanner = "endless-banner";
    public const string SshKexHold = "kex-hold";
    public const string HttpEndlessHeader = "endless-header";
    public const string HttpDrip = "drip";
    public const string HttpGzipBomb = "gzip-bomb";
    public const string HttpDeflateBomb = "deflate-bomb";
    public const string HttpFakeAuth = "fake-auth";
    public const string TlsEndlessHelloRequest = "endless-hello-request";
    public const string TlsSlowHello = "slow-hello";
    public const string TlsHandshakeDrip = "handshake-drip";

    public const string DefaultSshBanner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10";
    public const string DefaultHttpBanner = "nginx/1.22.1";

    /// <summary>
    /// <c>banner = "auto"</c> (ssh, http): at start, copy what the real service on the first redirected port says, so
    /// a banned client sees no change when the redirect begins. The config keeps the literal; the engine resolves it.
    /// </summary>
    public const string AutoBanner = "auto";

    /// <summary>Our bound on reading one real banner (connect and read): start waits at most this long for it.</summary>
    public static readonly TimeSpan AutoBannerTimeout = TimeSpan.FromSeconds(2);

    /// <summary>kex-hold first: it holds every client endless-banner holds and more (docs/BENCHMARKS.md, SSH clients).</summary>
    public static readonly IReadOnlyList<string> Ssh = [SshKexHold, SshEndlessBanner];
    public static readonly IReadOnlyList<string> Http = [HttpEndlessHeader, HttpDrip, HttpGzipBomb, HttpDeflateBomb, HttpFakeAuth];
    public static readonly IReadOnlyList<string> Tls = [TlsEndlessHelloRequest, TlsSlowHello, TlsHandshakeDrip];

    /// <summary>Allowed modes, the first being the default.</summary>
    public static IReadOnlyList<string> For(TarpitProtocol protocol) => protocol switch
    {
        TarpitProtocol.Ssh => Ssh,
        TarpitProtocol.Http => Http,
        _ => Tls,
    };

    public static string Default(TarpitProtocol protocol) => For(protocol)[0];

    public static string? DefaultBanner(TarpitProtocol protocol) => protocol switch
    {
        TarpitProtocol.Ssh => DefaultSshBanner,
        TarpitProtocol.Http => DefaultHttpBanner,
        _ => null,
    };

    /// <summary>The real port a tarpit of this protocol usually stands in for: the default <c>redirect_ports</c>.</summary>
    public static int StandardPort(TarpitProtocol protocol) => protocol switch
    {
        TarpitProtocol.Ssh => 22,
        TarpitProtocol.Http => 80,
        _ => 443,
    };

    /// <summary><c>ssh</c>, <c>http</c>, <c>tls</c>: how the config spells a protocol.</summary>
    public static string Name(TarpitProtocol protocol) => protocol switch
    {
        TarpitProtocol.Ssh => "ssh",
        TarpitProtocol.Http => "http",
        _ => "tls",
    };

    public static bool TryParseProtocol(string text, out TarpitProtocol protocol)
    {
        foreach (var candidate in Enum.GetValues<TarpitProtocol>())
        {
            if (Name(candidate) == text)
            {
                protocol = candidate;
                return true;
            }
        }

        protocol = default;
        return false;
    }
}
