using System.Net;
using Tarpit.Firewall;
using Tarpit.Net;

namespace Tarpit.Bans;

internal sealed partial class BanService
{
    /// <summary>Bound on stored reason text: a log line's worth, escaped.</summary>
    public const int ReasonMaxLength = 512;

    /// <summary>Bound on the stored source name (a watch or jail name).</summary>
    public const int SourceMaxLength = 64;

    /// <summary>Lifts the ban of exactly this target now; history is kept. The message says why when it was not banned.</summary>
    public async Task<(bool Unbanned, string Message)> UnbanAsync(IPNetwork target, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var shown = NetworkText.Format(target);
        var active = store.FindActive(target, now);
        if (active is null)
        {
            var covering = store.Covering(target, now) is [var first, ..] ? first : null;
            return (false, covering is null
                ? $"{shown} is not banned"
                : $"{shown} is not banned itself but is covered by the ban of {covering.Target}: unban {covering.Target}");
        }

        store.Update(active with { UnbannedAt = now });
        BansLog.Unbanned(log, shown);
        await changes.SubmitAsync(FirewallChange.Remove(target), cancellationToken);
        return (true, $"unbanned {shown}");
    }
}
