namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// One connection held by <see cref="EndlessBanner"/>: the seed, the index of the current line and how much of it the
/// kernel accepted. Nothing is sent for the first interval. A line cut short by a full send buffer is regenerated from the seed and finished before the next,
/// so the client never sees a line longer than RFC 4253 §4.2 allows.
/// </summary>
internal sealed class EndlessBannerSession(EndlessBanner mode, ulong seed) : ITarpitSession
{
    private int _lineIndex;
    private short _lineOffset;
    private short _lastWritten;
    private bool _started;

    public SessionStep Step(ref SessionContext context)
    {
        if (!_started)
        {
            // As endlessh: the first line after one interval, not at once.
            _started = true;
            context.Written = 0;
            return SessionStep.After(Tarpits.Jitter.Next(mode.Interval, mode.Jitter, context.Random));
        }

        if (_lastWritten > 0)
        {
            if (context.LastSent >= _lastWritten)
            {
                _lineIndex++;
                _lineOffset = 0;
            }
            else
            {
                _lineOffset += (short)Math.Max(0, context.LastSent);
            }
        }

        var output = context.Output;
        var length = PreambleLine.Write(seed, _lineIndex, output);
        if (_lineOffset > 0)
        {
            output[_lineOffset..length].CopyTo(output);
        }

        context.Written = length - _lineOffset;
        _lastWritten = (short)context.Written;
        return SessionStep.After(Tarpits.Jitter.Next(mode.Interval, mode.Jitter, context.Random));
    }
}
