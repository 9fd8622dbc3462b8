using Tarpit.Config;
using Tarpit.Tarpits.Http;
using Tarpit.Tarpits.Ssh;
using Tarpit.Tarpits.Tls;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// Builds the <see cref="ITarpitMode"/> of one <c>[[tarpit]]</c>. Every mode name of <see cref="ModeCatalog"/> has
/// exactly one builder here (a test holds the two to each other); the config loader has already refused any other
/// name, so a missing one is a bug, not an operator error.
/// </summary>
internal static class ModeFactory
{
    /// <summary>Each protocol's builders, by mode name.</summary>
    public static IReadOnlyDictionary<TarpitProtocol, IReadOnlyDictionary<string, Func<TarpitConfig, ITarpitMode>>> Builders { get; } =
        new Dictionary<TarpitProtocol, IReadOnlyDictionary<string, Func<TarpitConfig, ITarpitMode>>>
        {
            [TarpitProtocol.Ssh] = SshModes.Builders,
            [TarpitProtocol.Http] = HttpModes.Builders,
            [TarpitProtocol.Tls] = TlsModes.Builders,
        };

    public static ITarpitMode Create(TarpitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Builders[config.Protocol][config.Mode](config);
    }
}
