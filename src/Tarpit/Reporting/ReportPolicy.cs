using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Net;
using Tarpit.Store;

namespace Tarpit.Reporting;

/// <summary>
/// Which new bans are reported, and under which <c>report</c> name. A ban is reported only when the agent itself
/// decided it and it names one address: never a restored ban (fail2ban re-reports every ban on restart, fail2ban
/// #3801), never a remote CrowdSec decision (source <c>crowdsec:…</c>), never a network (AbuseIPDB's report takes one
/// address; reporting every address of a prefix would spend the budget on addresses that did nothing), and never an
/// allowlisted address (the ban service refuses those before the store, so they never reach here). A watch's ban is
/// reported under its filter's name (a custom filter file has no category: not reported); a decoy's as
/// <c>decoy</c>; any other source (a ban by hand, fail2ban's jails) as <c>manual</c>.
/// </summary>
internal sealed class ReportPolicy(AbuseIpDbConfig config, IReadOnlyList<WatchConfig> watches)
{
    /// <summary>The prefix of the sources of remote CrowdSec decisions.</summary>
    public const string CrowdSecSourcePrefix = "crowdsec:";

    private readonly Dictionary<string, string> _filterOfWatch =
        watches.GroupBy(w => w.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Filter, StringComparer.Ordinal);

    /// <summary>The <c>report</c> name this ban is reported under, or null with why not (for a debug line).</summary>
    public string? ReasonOf(BanRecord ban, BanRequest request, out string why)
    {
        ArgumentNullException.ThrowIfNull(ban);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Restored)
        {
            why = "a restored ban";
            return null;
        }

        if (request.Source.StartsWith(CrowdSecSourcePrefix, StringComparison.Ordinal))
        {
            why = "a remote CrowdSec decision";
            return null;
        }

        if (!Networks.IsHost(ban.Target))
        {
            why = "a network, not one address";
            return null;
        }

        string? name = request.Source switch
        {
            FilterNames.Decoy => FilterNames.Decoy,
            var source when _filterOfWatch.TryGetValue(source, out var filter) => FilterNames.BuiltIn.Contains(filter) ? filter : null,
            _ => FilterNames.Manual,
        };
        if (name is null)
        {
            why = "a watch with a custom filter";
            return null;
        }

        if (!config.Report.Contains(name))
        {
            why = $"'{name}' is not in abuseipdb.report";
            return null;
        }

        why = string.Empty;
        return name;
    }
}
