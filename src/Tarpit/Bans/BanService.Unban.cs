using System.Net;
using Tarpit.Firewall;
using Tarpit.Net;
using Tarpit.Store;

namespace Tarpit.Bans;

internal sealed partial class BanService
{
    /// <summary>Bound on stored reason text: a log line's worth, escaped.</summary>
    public const int ReasonMaxLength = 512;

    /// <summary>Bound on the stored source name (a watch or jail name).</summary>
    public const int SourceMaxLength = 64;

    /// <summary>
    /// Lifts the ban of exactly this target now; history is kept, and the offences before now are forgiven (they never
    /// count again). The bans inside it or around it keep their own ends; networks inside it that were out of the
    /// kernel while it was there go back in the same batch. The outcome says why when there was nothing to lift.
    /// </summary>
    public async Task<UnbanOutcome> UnbanAsync(IPNetwork target, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var shown = NetworkText.Format(target);
        var open = store.Covering(target, now);
        var active = open.Where(b => b.Target == target).MaxBy(b => b.Id);
        var wider = open.Where(b => b.Target != target).ToList();
        if (active is null)
        {
            return NothingToLift(target, shown, wider, now);
        }

        store.Update(active with { UnbannedAt = now });
        BansLog.Unbanned(log, shown);
        var inside = store.Inside(target, now);
        var notes = wider.Select(b => $"{shown} stays redirected as part of the ban of {NetworkText.Format(b.Target)} ({Remaining(b, now)} left)").ToList();
        notes.AddRange(inside.Take(MaxNotes).Select(b => $"{NetworkText.Format(b.Target)} keeps its own ban ({Remaining(b, now)} left)"));
        if (inside.Count > MaxNotes)
        {
            notes.Add($"… and {inside.Count - MaxNotes} more bans inside {shown}, each kept");
        }

        if (!KernelView.IsShadowed(target, wider))
        {
            await changes.SubmitAsync(FirewallChange.Remove(target), cancellationToken);
            foreach (var back in KernelView.InKernel(inside).Where(b => !Networks.IsHost(b.Target)))
            {
                await changes.SubmitAsync(FirewallChange.Add(back.Target, back.Remaining(now)), cancellationToken);
            }
        }

        return new UnbanOutcome(UnbanResult.Unbanned, $"unbanned {shown}") { Notes = notes };
    }

    private UnbanOutcome NothingToLift(IPNetwork target, string shown, List<BanRecord> wider, DateTimeOffset now)
    {
        if (wider is [var covering, ..])
        {
            return new UnbanOutcome(
                UnbanResult.Covered,
                $"{shown} is not banned itself but is covered by the ban of {NetworkText.Format(covering.Target)}: unban {NetworkText.Format(covering.Target)}");
        }

        if (AllowedBy(target) is { } allow)
        {
            return new UnbanOutcome(UnbanResult.Allowlisted, $"{shown} is allowlisted by firewall.allow entry {allow}, so it was never redirected; nothing to lift");
        }

        return store.Last(target) switch
        {
            null => new UnbanOutcome(UnbanResult.NeverBanned, $"{shown} is not banned (it never was)"),
            { UnbannedAt: { } lifted } => new UnbanOutcome(
                UnbanResult.AlreadyEnded,
                $"{shown} is not banned any more: its ban was lifted {Ago(now, lifted)}; nothing to do"),
            var ended => new UnbanOutcome(
                UnbanResult.AlreadyEnded,
                $"{shown} is not banned any more: its ban ran out {Ago(now, ended.ExpiresAt ?? now)}; nothing to do"),
        };
    }

    private static string Ago(DateTimeOffset now, DateTimeOffset then) =>
        now - then < TimeSpan.FromSeconds(1)
            ? "just now"
            : Config.DurationSyntax.Format(TimeSpan.FromSeconds(Math.Floor((now - then).TotalSeconds))) + " ago";
}
