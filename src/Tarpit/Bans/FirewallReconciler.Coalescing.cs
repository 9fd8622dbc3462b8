namespace Tarpit.Bans;

/// <summary>The firewall loop's batches during a burst: fewer, larger nft runs.</summary>
internal sealed partial class FirewallReconciler
{
    /// <summary>
    /// A drained batch this large is a burst (the watch's judge stores up to 256 bans per transaction, the CrowdSec
    /// bouncer thousands): the loop waits a moment for the next transaction's changes before it runs nft.
    /// </summary>
    public const int CoalesceFrom = 256;

    /// <summary>How long a burst's batch waits for more changes after the last one arrived.</summary>
    public static readonly TimeSpan CoalesceWait = TimeSpan.FromMilliseconds(10);

    /// <summary>A burst's batch stops waiting once it holds this many changes (one nft run of ~25 ms).</summary>
    public const int MaxCoalesced = 2_048;

    /// <summary>
    /// Takes what is queued; when that is already a burst's worth (<see cref="CoalesceFrom"/>), goes on taking what
    /// arrives within <see cref="CoalesceWait"/> of the last change, up to <see cref="MaxCoalesced"/>: a burst of
    /// 10,000 bans arrives as ~40 transactions of a few hundred, and each nft run costs ~7 ms of CPU of its own
    /// whatever its size (perf of the burst: 34 runs, a quarter of its samples). Fewer queued changes (a single ban,
    /// the usual case) never wait.
    /// </summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var taken = Take();
        if (taken < CoalesceFrom)
        {
            return;
        }

        while (taken < MaxCoalesced)
        {
            using var linger = new CancellationTokenSource(CoalesceWait, time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, linger.Token);
            try
            {
                if (!await batcher.Reader.WaitToReadAsync(wait.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }

            taken += Take();
        }
    }

    /// <summary>Moves what is queued into the pending batch; how many.</summary>
    private int Take()
    {
        var drained = batcher.Drain();
        _pending.AddRange(drained.Select(c => (c, 0)));
        return drained.Count;
    }
}
