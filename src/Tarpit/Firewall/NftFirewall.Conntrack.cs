using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tarpit.Net;

namespace Tarpit.Firewall;

internal sealed partial class NftFirewall
{
    public async Task CutEstablishedAsync(IPNetwork target, CancellationToken cancellationToken)
    {
        var family = target.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4";
        foreach (var (port, _) in RulesetRenderer.PortMap(tarpits))
        {
            string[] args =
            [
                "-D", "-f", family, "-s", NetworkText.Format(target),
                "-p", "tcp", "--dport", port.ToString(CultureInfo.InvariantCulture),
            ];
            var (exitCode, _, stderr) = await RunAsync(Conntrack, args, null, cancellationToken);

            // conntrack exits 1 with "0 flow entries have been deleted" when there was nothing to cut.
            if (exitCode != 0 && !stderr.Contains("0 flow entries", StringComparison.Ordinal))
            {
                throw Failed(Conntrack, args, exitCode, stderr);
            }

            FirewallLog.Cut(log, NetworkText.Format(target), port);
        }
    }
}
