using Tarpit.Config;

namespace Tarpit.Tarpits.Tls;

/// <summary>The TLS modes, built once per <c>[[tarpit]]</c> with <c>protocol = "tls"</c>, by <see cref="ModeCatalog"/> name.</summary>
internal static class TlsModes
{
    public static IReadOnlyDictionary<string, Func<TarpitConfig, ITarpitMode>> Builders { get; } = new Dictionary<string, Func<TarpitConfig, ITarpitMode>>
    {
        [ModeCatalog.TlsEndlessHelloRequest] = config => Mode(config, tarpit => () => new EndlessHelloRequestSession(tarpit)),
        [ModeCatalog.TlsSlowHello] = config => Mode(config, tarpit => () => new SlowHelloSession(tarpit)),
        [ModeCatalog.TlsHandshakeDrip] = config => Mode(config, tarpit => () => new HandshakeDripSession(tarpit)),
    };

    /// <summary>The mode of one <c>[[tarpit]]</c> with <c>protocol = "tls"</c>.</summary>
    public static ITarpitMode Create(TarpitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Builders[config.Mode](config);
    }

    private static SessionMode Mode(TarpitConfig config, Func<TlsTarpit, Func<ITarpitSession>> sessions) =>
        new(config.Mode, sessions(new TlsTarpit(config)));
}
