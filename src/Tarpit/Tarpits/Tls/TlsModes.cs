using Tarpit.Config;

namespace Tarpit.Tarpits.Tls;

/// <summary>The TLS mode registry: <c>protocol = "tls"</c>, <c>mode = endless-hello-request | slow-hello</c>.</summary>
internal static class TlsModes
{
    public static readonly IReadOnlyList<string> Names = ["endless-hello-request", "slow-hello"];

    public static ITarpitMode Create(TarpitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Mode switch
        {
            "endless-hello-request" => new EndlessHelloRequest(new TlsTarpit(config)),
            "slow-hello" => new SlowHello(new TlsTarpit(config)),
            _ => throw new OperatorException(
                $"Tarpit '{config.Name}': mode \"{config.Mode}\" is not a TLS tarpit mode. " +
                $"Allowed: {string.Join(", ", Names)}. Set mode to one of them in its [[tarpit]] table.", ExitCodes.Config),
        };
    }
}
