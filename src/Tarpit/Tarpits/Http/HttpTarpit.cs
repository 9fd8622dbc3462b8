using Tarpit.Config;

namespace Tarpit.Tarpits.Http;

/// <summary>
/// What every session of one HTTP <c>[[tarpit]]</c> shares: its timing, the Server header, the drip document, the
/// 401 page and a reseedable random source. Built once by <see cref="HttpModes.Create"/>.
/// </summary>
internal sealed class HttpTarpit
{
    /// <summary>nginx <c>keepalive_requests</c> is 1000; we stop at 100 requests, which bounds the Observed events one connection can publish.</summary>
    public const int MaxRequestsPerConnection = 100;

    /// <summary>nginx <c>client_header_timeout</c> default: a started request head must be complete within 60 s.</summary>
    public static readonly TimeSpan HeaderTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A silent client is never spoken to first (a real HTTP server waits); the wait is re-armed with this deadline until max_hold.</summary>
    public static readonly TimeSpan SilentWait = TimeSpan.FromMinutes(10);

    /// <summary>nginx answers garbage at once; a short random pause (not a fixed one) hides the tarpit's scheduler.</summary>
    public static readonly TimeSpan MinRejectDelay = TimeSpan.FromMilliseconds(20);
    public static readonly TimeSpan MaxRejectDelay = TimeSpan.FromMilliseconds(400);

    public HttpTarpit(TarpitConfig config, HttpTarpitOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        Server = config.Banner ?? NginxResponses.DefaultServer;
        Interval = config.Interval;
        Jitter = config.Jitter;
        DripBytes = Math.Clamp(config.DripBytes, 1, SessionContext.MinOutputCapacity);
        VerifyClient = config.VerifyClient;
        BombSize = options.BombSize;
        Realm = options.Realm;
        Article = HtmlContent.Article(options.ContentLength, random);
        AuthorizationBody = System.Text.Encoding.ASCII.GetBytes(NginxResponses.ErrorBody(HttpErrorPage.AuthorizationRequired, Server));
        Seed = random.Next();
        ContentType = random.Next(2) == 0 ? "text/html" : "text/html; charset=utf-8";
        _pageAge = TimeSpan.FromSeconds(random.Next(MinPageAgeSeconds, MaxPageAgeSeconds));
    }

    /// <summary>The page was last modified between an hour and 400 days before the first request (drawn once per start).</summary>
    private const int MinPageAgeSeconds = 3_600;
    private const int MaxPageAgeSeconds = 400 * 86_400;

    private readonly TimeSpan _pageAge;
    private DateTimeOffset? _pageModified;

    /// <summary>Drawn once per start: the optional headers of the page's responses and other per-site choices.</summary>
    public int Seed { get; }

    /// <summary>The page's Content-Type, the same on every response.</summary>
    public string ContentType { get; }

    /// <summary>The page's mtime, whole seconds, fixed at the first call (scheduler thread only, like every session call).</summary>
    public DateTimeOffset PageModified(DateTimeOffset now)
    {
        if (_pageModified is not { } modified)
        {
            var t = now - _pageAge;
            modified = new DateTimeOffset(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            _pageModified = modified;
        }

        return modified;
    }

    public string Server { get; }

    public TimeSpan Interval { get; }

    public double Jitter { get; }

    public int DripBytes { get; }

    public bool VerifyClient { get; }

    public long BombSize { get; }

    public string Realm { get; }

    /// <summary>The drip body (content_length bytes) and the bomb fallback when the client accepts no compression.</summary>
    public HtmlDocument Article { get; }

    public byte[] AuthorizationBody { get; }

    public NoiseRandom Noise { get; } = new();

    public TimeSpan NextInterval(Random random) => Tarpits.Jitter.Next(Interval, Jitter, random);

    public static TimeSpan RejectDelay(Random random) =>
        MinRejectDelay + ((MaxRejectDelay - MinRejectDelay) * random.NextDouble());
}
