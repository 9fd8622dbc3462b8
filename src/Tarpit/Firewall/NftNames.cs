using System.Net;
using System.Net.Sockets;
using Tarpit.Net;

namespace Tarpit.Firewall;

/// <summary>
/// The names of the objects inside the agent's table. Offenders live in two sets per family: single addresses in a
/// hash set (<c>offenders_v4</c>) and prefixes in an interval set (<c>offender_nets_v4</c>). nft 1.0.6 checks
/// interval sets for overlaps in user space at a cost that grows with the set: 10,000 addresses took 47 s as one
/// interval batch and under a second as one hash batch.
/// </summary>
internal static class NftNames
{
    public const string Family = "inet";

    public const string Chain = "prerouting";

    /// <summary>The filter chain that resets a banned source's established flows to the redirected ports (<c>cut_established</c>).</summary>
    public const string CutChain = "cut_established";

    public const string OffendersV4 = "offenders_v4";

    public const string OffendersV6 = "offenders_v6";

    public const string OffenderNetsV4 = "offender_nets_v4";

    public const string OffenderNetsV6 = "offender_nets_v6";

    public const string AllowV4 = "allow_v4";

    public const string AllowV6 = "allow_v6";

    public static readonly string[] OffenderSets = [OffendersV4, OffenderNetsV4, OffendersV6, OffenderNetsV6];

    /// <summary>The set a target belongs in: by family, and hash (address) or interval (prefix).</summary>
    public static string OffenderSet(IPNetwork target)
    {
        var v6 = target.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;
        var host = Networks.IsHost(target);
        return (v6, host) switch
        {
            (false, true) => OffendersV4,
            (false, false) => OffenderNetsV4,
            (true, true) => OffendersV6,
            (true, false) => OffenderNetsV6,
        };
    }
}
