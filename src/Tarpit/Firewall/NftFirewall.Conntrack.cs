using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tarpit.Firewall;

internal sealed partial class NftFirewall
{
    /// <summary>
    /// One <c>conntrack -D</c> per redirected port, all at once: a short-lived <c>tarpit-agent ban</c> waits for them,
    /// and one after another they would add a process start each to its wall time.
    /// </summary>
    public Task CutEstablishedAsync(IPNetwork target, CancellationToken cancellationToken) =>
        Task.WhenAll(RulesetRenderer.PortMap(tarpits).Select(p => CutEstablishedAsync(target, p.Key, cancellationToken)));

    private async Task CutEstablishedAsync(IPNetwork target, int port, CancellationToken cancellationToken)
    {
        var family = target.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4";
        string[] args =
        [
            "-D", "-f", family, "-s", RulesetRenderer.Element(target),
            "-p", "tcp", "--dport", port.ToString(CultureInfo.InvariantCulture),
        ];
        var (exitCode, _, stderr) = await RunAsync(Conntrack, args, null, cancellationToken);

        // conntrack exits 1 with "0 flow entries have been deleted" when there was nothing to cut.
        if (exitCode != 0 && !stderr.Contains("0 flow entries", StringComparison.Ordinal))
        {
            throw Failed(Conntrack, args, exitCode, stderr);
        }

        log.Debug("Cut established flows of {RemoteIP} to port {OriginalPort}", RulesetRenderer.Element(target), port);
    }
}
