using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Serilog;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Detection.Filters;
using Tarpit.Metrics;
using Tarpit.Net;
using Tarpit.Text;

namespace Tarpit.Detection.Judgement;

/// <summary>
/// Judges one watch's lines: filter, allowlist (before counting), sliding window, then one <see cref="BanRequest"/>
/// per decision. Offences older than <c>find_time</c> are never counted, nor offences at or before the address's
/// current or last ban or its last unban by hand (asked of the ban service, <see cref="IBanService.CountsAfter"/>, when
/// a window fills), so a restart that reads history back never bans one incident twice; times in the future (clock
/// skew between hosts) count as now.
/// </summary>
internal sealed class WatchJudge(WatchConfig watch, ILogFilter filter, IBanService bans, ILogger log, TimeProvider time, WatchMeters? meters = null)
{
    /// <summary>How much of the offending line goes into a ban reason (escaped).</summary>
    public const int MaxReasonLineLength = 200;

    private readonly OffenceWindow _window = new(watch.MaxRetry, watch.FindTime);

    public WatchConfig Watch => watch;

    public ILogFilter Filter => filter;

    /// <summary>The watch's counters in the daemon's metrics, or null.</summary>
    public WatchMeters? Meters => meters;

    /// <summary>Addresses with offences in flight.</summary>
    public int TrackedAddresses => _window.Count;

    private long _failedLines;

    /// <summary>Lines whose judgement failed (a bug, logged with the line): skipped, while the rest of their batch went on.</summary>
    public long FailedLines => Interlocked.Read(ref _failedLines);

    /// <summary>
    /// The most ban requests handed to the ban service at once: the lines already queued are judged together and
    /// their bans stored in one transaction (a burst of offenders pays one commit per batch, not per ban), while the
    /// transaction stays short enough not to hold back the CLI verbs and the session writer.
    /// </summary>
    public const int MaxBatch = 256;

    /// <summary>Judges lines until the channel completes; the bans decided from the lines queued together are requested together.</summary>
    public async Task RunAsync(ChannelReader<LogLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var batch = new List<BanRequest>(MaxBatch);
        var addresses = new List<IPAddress>(MaxBatch);
        while (await lines.WaitToReadAsync(cancellationToken))
        {
            while (batch.Count < MaxBatch && lines.TryRead(out var line))
            {
                meters?.LineRead();
                if (TryDecide(line) is var (request, address))
                {
                    JudgementLog.BanDecision(log, address, watch.Name, request.Reason);
                    batch.Add(request);
                    addresses.Add(address);
                }
            }

            if (batch.Count > 0)
            {
                var outcomes = await bans.BanAllAsync(batch, cancellationToken);
                for (var i = 0; i < outcomes.Count; i++)
                {
                    JudgementLog.BanAnswered(log, addresses[i], outcomes[i].Message);
                }

                batch.Clear();
                addresses.Clear();
            }
        }
    }

    /// <summary>Judges one line; returns the ban request it led to (already handed to the ban service), if any.</summary>
    public async Task<BanRequest?> JudgeAsync(LogLine line, CancellationToken cancellationToken)
    {
        var decision = Decide(line);
        if (decision is null)
        {
            return null;
        }

        var (request, address) = decision.Value;
        JudgementLog.BanDecision(log, address, watch.Name, request.Reason);
        var outcome = await bans.BanAsync(request, cancellationToken);
        JudgementLog.BanAnswered(log, address, outcome.Message);
        return request;
    }

    /// <summary>
    /// <see cref="Decide"/> for the loop: one line that fails (a bug in a filter, text nobody foresaw) is logged,
    /// escaped, and counted, and never costs the bans already decided in its batch nor restarts the watch.
    /// </summary>
    private (BanRequest Request, IPAddress Address)? TryDecide(in LogLine line)
    {
        try
        {
            return Decide(line);
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _failedLines);
            JudgementLog.LineFailed(log, ex, watch.Name, FailedLines, AttackerText.Escape(line.Text, MaxReasonLineLength));
            return null;
        }
    }

    /// <summary>The synchronous part: no await on the path of the lines that are not offences.</summary>
    private (BanRequest Request, IPAddress Address)? Decide(in LogLine line)
    {
        var view = SyslogLine.Parse(line, time);
        var match = filter.Match(view);
        if (!match.IsOffence || match.Address is not { } address)
        {
            return null;
        }

        meters?.LineMatched();

        if (bans.IsAllowed(address))
        {
            JudgementLog.IgnoringOffence(log, address, watch.Name);
            return null;
        }

        var now = time.GetUtcNow();
        var at = match.Timestamp > now ? now : match.Timestamp;
        if (at <= now - watch.FindTime)
        {
            return null;
        }

        var count = _window.Record(address, at);
        if (count >= watch.MaxRetry && bans.CountsAfter(address) is { } countsAfter)
        {
            count = _window.Forgive(address, countsAfter, at);
        }

        JudgementLog.Offence(log, count, watch.MaxRetry, address, watch.Name, line.Text);
        if (count < watch.MaxRetry)
        {
            return null;
        }

        _window.Forget(address);
        var escaped = AttackerText.Escape(line.Text, MaxReasonLineLength);
        var reason = string.Create(
            CultureInfo.InvariantCulture,
            $"{filter.Name}: {count} offences within {DurationSyntax.Format(watch.FindTime)}, last: {escaped}");
        return (new BanRequest(Networks.Host(address), watch.Name, reason), address);
    }
}
