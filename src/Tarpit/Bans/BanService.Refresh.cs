using System.Net;
using Tarpit.Net;
using Tarpit.Store;

namespace Tarpit.Bans;

internal sealed partial class BanService
{
    /// <summary>Ticks since the first refresh the store refused in the episode in progress; 0 while refreshes are stored.</summary>
    private long _refreshRefusedSince;

    /// <summary>
    /// A redirected client came back: its ban's end moves to now + its length (at most once per
    /// <see cref="RefreshGranularity"/>). False when no ban covers it. When the store refuses the write (locked, full,
    /// read-only), the ban keeps its end and its redirect stays in nft: one warning per episode and one line when a
    /// refresh is stored again, never a stack trace per returning client (an attacker decides how often that is).
    /// </summary>
    public async Task<bool> RefreshAsync(IPAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        try
        {
            return await RefreshStoredAsync(address, cancellationToken);
        }
        catch (StoreFaultException ex)
        {
            if (Interlocked.CompareExchange(ref _refreshRefusedSince, time.GetUtcNow().UtcTicks, 0) == 0)
            {
                BansLog.RefreshRefused(log, NetworkText.Format(Networks.Host(address)), ex.FaultName, ex.Message);
            }

            // It came through the redirect, so its ban is in the kernel; only its end could not move.
            return true;
        }
    }

    /// <summary>A refresh was written: ends the episode of refused ones, if any, with one line.</summary>
    private void RefreshWritten()
    {
        var since = Interlocked.Exchange(ref _refreshRefusedSince, 0);
        if (since != 0)
        {
            BansLog.RefreshStoredAgain(log, (time.GetUtcNow() - new DateTimeOffset(since, TimeSpan.Zero)).TotalSeconds);
        }
    }
}
