using Tarpit.Config;

namespace Tarpit.Tarpits.Engine;

/// <summary>The mode registry: builds the <see cref="ITarpitMode"/> of one <c>[[tarpit]]</c>.</summary>
internal static class TarpitModes
{
    public static ITarpitMode Create(TarpitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Protocol switch
        {
            TarpitProtocol.Ssh => Ssh.SshModes.Create(config),
            TarpitProtocol.Http => Http.HttpModes.Create(config),
            TarpitProtocol.Tls => Tls.TlsModes.Create(config),
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
}
