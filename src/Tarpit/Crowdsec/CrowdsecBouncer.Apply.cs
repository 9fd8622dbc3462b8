using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Net;

namespace Tarpit.Crowdsec;

/// <summary>Applying one answer of the stream: deletions first (a delete and a new decision of one target in one answer ends redirected), then the new decisions.</summary>
internal sealed partial class CrowdsecBouncer
{
    private async Task ApplyAsync(LapiDecisionStream stream, bool startup, CancellationToken cancellationToken)
    {
        var tally = new DecisionReader.Tally();
        var now = time.GetUtcNow();
        var accepted = new List<RemoteDecision>();
        foreach (var decision in stream.New ?? [])
        {
            if (_reader.Accept(decision, tally) is { } remote)
            {
                accepted.Add(remote);
            }
        }

        var lifted = 0;
        if (startup)
        {
            // The snapshot is the whole truth: what the fleet no longer holds is lifted (a delete while this agent was
            // down or between two of its runs), the rest is rebuilt from it.
            _live.Clear();
            foreach (var remote in accepted)
            {
                Remember(remote, now);
            }

            foreach (var ban in bans.RemoteInForce())
            {
                if (!_live.ContainsKey(ban.Target) && await bans.LiftRemoteAsync(ban.Target, cancellationToken))
                {
                    lifted++;
                }
            }
        }
        else
        {
            foreach (var decision in stream.Deleted ?? [])
            {
                if (DecisionReader.Read(decision, new DecisionReader.Tally()) is { } deleted && Forget(deleted, now)
                    && await bans.LiftRemoteAsync(deleted.Target, cancellationToken))
                {
                    lifted++;
                }
            }

            foreach (var remote in accepted)
            {
                Remember(remote, now);
            }
        }

        var requests = accepted.Select(Request).ToList();
        var outcomes = requests.Count == 0 ? [] : await bans.BanAllAsync(requests, cancellationToken);
        // Refused (firewall.allow, GeoIP allowlists), as opposed to stored with a firewall error to retry.
        var allowlisted = outcomes.Count(o => !o.Applied && o.FirewallError is null);
        foreach (var remote in accepted.Take(MaxDecisionLines))
        {
            CrowdsecLog.Decision(log, NetworkText.Format(remote.Target), Text.AttackerText.Escape(remote.Origin, DecisionReader.MaxOriginLength), Text.AttackerText.Escape(remote.Scenario, DecisionReader.MaxScenarioLength), DurationSyntax.Format(Rounded(remote.Remaining)));
        }

        if (startup || accepted.Count > 0 || lifted > 0 || tally.Invalid > 0)
        {
            CrowdsecLog.Pulled(log, startup, accepted.Count - allowlisted, lifted, allowlisted, tally.Filtered + tally.Ended, tally.OtherScope, tally.Invalid);
        }
    }

    /// <summary>Debug lines per pull at most: a snapshot of 100,000 decisions is one summary, not 100,000 lines.</summary>
    private const int MaxDecisionLines = 100;

    private static BanRequest Request(RemoteDecision remote) =>
        new(
            remote.Target,
            BanSource.RemotePrefix + remote.Origin,
            remote.Scenario.Length > 0 ? remote.Scenario : "crowdsec decision",
            Rounded(remote.Remaining),
            Remote: true);

    /// <summary>The kernel timeout: the time left in whole seconds, rounded up, at least <see cref="MinRemaining"/>.</summary>
    private static TimeSpan Rounded(TimeSpan remaining)
    {
        var seconds = TimeSpan.FromSeconds(Math.Ceiling(remaining.TotalSeconds));
        return seconds < MinRemaining ? MinRemaining : seconds;
    }

    private void Remember(RemoteDecision remote, DateTimeOffset now)
    {
        if (!_live.TryGetValue(remote.Target, out var ids))
        {
            ids = [];
            _live.Add(remote.Target, ids);
        }

        ids[remote.Id] = now + remote.Remaining;
    }

    /// <summary>Forgets a deleted decision; true when its target has no other decision in force (so it is lifted).</summary>
    private bool Forget(RemoteDecision deleted, DateTimeOffset now)
    {
        if (!_live.TryGetValue(deleted.Target, out var ids) || !ids.Remove(deleted.Id))
        {
            return false;
        }

        foreach (var ended in ids.Where(pair => pair.Value <= now).Select(pair => pair.Key).ToList())
        {
            ids.Remove(ended);
        }

        if (ids.Count > 0)
        {
            return false;
        }

        _live.Remove(deleted.Target);
        return true;
    }
}
