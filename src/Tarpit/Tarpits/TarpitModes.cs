using Tarpit.Config;

namespace Tarpit.Tarpits;

/// <summary>The mode registry: builds the <see cref="ITarpitMode"/> of one <c>[[tarpit]]</c>.</summary>
internal static class TarpitModes
{
    public static ITarpitMode Create(TarpitListenerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Protocol switch
        {
            TarpitProtocol.Ssh => throw NotInThisBuild(config, ProtocolName(config.Protocol)),
            TarpitProtocol.Http => throw NotInThisBuild(config, ProtocolName(config.Protocol)),
            TarpitProtocol.Tls => throw NotInThisBuild(config, ProtocolName(config.Protocol)),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Protocol, "Unknown tarpit protocol."),
        };
    }

    /// <summary>The protocol's config spelling, as logged and published on connection events.</summary>
    public static string ProtocolName(TarpitProtocol protocol) => protocol switch
    {
        TarpitProtocol.Ssh => "ssh",
        TarpitProtocol.Http => "http",
        TarpitProtocol.Tls => "tls",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown tarpit protocol."),
    };

    private static OperatorException NotInThisBuild(TarpitListenerConfig config, string protocol) => new(
        $"Tarpit '{config.Name}': protocol '{protocol}' is not available in this build. " +
        "Remove the [[tarpit]] table or use a build that includes it.");
}
