using Tarpit.Config;

namespace Tarpit.Tarpits.Http;

/// <summary>The HTTP modes, built once per <c>[[tarpit]]</c> with <c>protocol = "http"</c>, by <see cref="ModeCatalog"/> name.</summary>
internal static class HttpModes
{
    public static IReadOnlyDictionary<string, Func<TarpitConfig, ITarpitMode>> Builders { get; } = new Dictionary<string, Func<TarpitConfig, ITarpitMode>>
    {
        [ModeCatalog.HttpEndlessHeader] = config => Mode(config, tarpit =>
        {
            var hold = new EndlessHeaderHold(tarpit);
            return () => new EndlessHeaderSession(tarpit, hold);
        }),
        [ModeCatalog.HttpDrip] = config => Mode(config, tarpit => () => new DripSession(tarpit)),
        [ModeCatalog.HttpGzipBomb] = config => Mode(config, tarpit => Bomb(tarpit, BombEncoding.Gzip)),
        [ModeCatalog.HttpDeflateBomb] = config => Mode(config, tarpit => Bomb(tarpit, BombEncoding.Deflate)),
        [ModeCatalog.HttpFakeAuth] = config => Mode(config, tarpit => () => new FakeAuthSession(tarpit)),
    };

    /// <summary>The mode of one <c>[[tarpit]]</c> with <c>protocol = "http"</c>.</summary>
    public static ITarpitMode Create(TarpitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Builders[config.Mode](config);
    }

    /// <summary>A bomb mode builds its bombs at start, so that its first visitors are not kept waiting for them.</summary>
    private static Func<ITarpitSession> Bomb(HttpTarpit tarpit, BombEncoding encoding)
    {
        BombCache.Warm(tarpit.BombSize);
        return () => new CompressionBombSession(tarpit, encoding);
    }

    /// <summary>Banner and realm were checked by the config loader (printable ASCII; no quote or backslash in the realm).</summary>
    private static SessionMode Mode(TarpitConfig config, Func<HttpTarpit, Func<ITarpitSession>> sessions)
    {
        var options = config.Http ?? throw new ArgumentException($"Tarpit '{config.Name}' has protocol http but no HTTP options.", nameof(config));
        return new SessionMode(config.Mode, sessions(new HttpTarpit(config, options, Random.Shared)));
    }
}
