using System.Net;

namespace Tarpit.Config;

/// <summary><c>[metrics]</c>: where the daemon serves <c>GET /metrics</c>, a TCP address or a Unix socket; off when the table is absent.</summary>
/// <param name="Endpoint">The TCP address (<c>listen = "127.0.0.1:9477"</c>), or null.</param>
/// <param name="SocketPath">The Unix socket (<c>listen = "/run/tarpit/metrics.sock"</c>), or null.</param>
internal sealed record MetricsConfig(IPEndPoint? Endpoint, string? SocketPath)
{
    public static MetricsConfig Off { get; } = new(null, null);

    public bool Enabled => Endpoint is not null || SocketPath is not null;

    /// <summary>The value of <c>listen</c> as the file would spell it; empty when off.</summary>
    public string Listen => SocketPath ?? (Endpoint is { } endpoint ? ListenSyntax.Format(endpoint) : string.Empty);
}
