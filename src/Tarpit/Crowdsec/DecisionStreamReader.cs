using System.Text.Json;

namespace Tarpit.Crowdsec;

/// <summary>
/// Reads the body of <c>GET /v1/decisions/stream</c> (<c>{"new":[…],"deleted":[…]}</c>, either list possibly
/// <c>null</c>) from the response stream with <see cref="Utf8JsonReader"/>, one decision object at a time, into an
/// <see cref="IDecisionSink"/>: no whole-body buffer and no list of every decision. The LAPI is remote input: the body,
/// each decision (and so each of its fields) and the count per list are bounded here.
/// </summary>
internal static partial class DecisionStreamReader
{
    /// <summary>
    /// Bound on one answer: a startup snapshot of 100,000 decisions is ~19 MB of JSON (about 190 bytes each); 128 MiB
    /// leaves room for six times that and stops a LAPI (or something posing as one) from streaming without end.
    /// </summary>
    public const long MaxBodyBytes = 128L * 1024 * 1024;

    /// <summary>
    /// Bound on one decision object, with the separator before it, and so on each of its fields: CrowdSec's own are
    /// short (<c>pkg/models/decision.go</c>: an address or range, a hub scenario under 64 characters, a Go duration),
    /// a list's scenario may be longer; 16 KiB is fifty times the largest we keep. It is also the read buffer's size.
    /// </summary>
    public const int MaxDecisionBytes = 16 * 1024;

    /// <summary>Bound on the decisions one list may carry (<c>new</c> and <c>deleted</c> each); beyond it the rest is dropped, with a warning.</summary>
    public const int MaxDecisionsPerList = 500_000;

    /// <summary>Reads the whole body into <paramref name="sink"/>; true when a list was cut to <see cref="MaxDecisionsPerList"/>.</summary>
    /// <exception cref="LapiException">The body is not the stream's JSON, is longer than <paramref name="maxBodyBytes"/>,
    /// or holds a decision longer than <see cref="MaxDecisionBytes"/>.</exception>
    public static async Task<bool> ReadAsync(Stream body, IDecisionSink sink, long maxBodyBytes, CancellationToken cancellationToken) =>
        await ReadAsync(body, sink, maxBodyBytes, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>As above; each read of the body may wait <paramref name="readTimeout"/> at most (not the sink's flushes).</summary>
    public static async Task<bool> ReadAsync(Stream body, IDecisionSink sink, long maxBodyBytes, TimeSpan readTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(sink);
        var parser = new Parser(sink);
        var buffer = new byte[MaxDecisionBytes];
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var filled = 0;
        long total = 0;
        var final = false;
        while (true)
        {
            if (!final)
            {
                reading.CancelAfter(readTimeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(filled), reading.Token);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new LapiException($"the LAPI sent nothing for {readTimeout.TotalSeconds:0} s in the middle of its decision stream", ex);
                }

                reading.CancelAfter(Timeout.InfiniteTimeSpan);
                total += read;
                if (total > maxBodyBytes)
                {
                    throw new LapiException($"the LAPI's decision stream is longer than {maxBodyBytes} bytes; nothing more is read");
                }

                filled += read;
                final = read == 0;
            }

            int consumed;
            try
            {
                consumed = parser.Feed(buffer.AsSpan(0, filled), final);
            }
            catch (JsonException ex)
            {
                throw new LapiException($"the LAPI's decision stream is not valid JSON ({Text.AttackerText.Escape(ex.Message, 200)})", ex);
            }

            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
            if (sink.Full || parser.Done)
            {
                await sink.FlushAsync(cancellationToken);
            }

            if (parser.Done)
            {
                return parser.Truncated;
            }

            if (final)
            {
                throw new LapiException("the LAPI's decision stream is not valid JSON (it ended before its closing brace)");
            }

            if (filled == buffer.Length)
            {
                throw new LapiException($"the LAPI sent a decision longer than {MaxDecisionBytes} bytes; nothing more is read");
            }
        }
    }
}
