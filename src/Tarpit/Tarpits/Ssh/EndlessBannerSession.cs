namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// One connection held by <see cref="EndlessBanner"/>: the seed, the index of the current line and how much of it the
/// kernel accepted. A line cut short by a full send buffer is regenerated from the seed and finished before the next,
/// so the client never sees a line longer than RFC 4253 §4.2 allows.
/// </summary>
internal sealed class EndlessBannerSession(EndlessBanner mode, ulong seed) : ITarpitSession
{
    private int lineIndex;
    private short lineOffset;
    private short lastWritten;

    public SessionStep Step(ref SessionContext context)
    {
        if (lastWritten > 0)
        {
            if (context.LastSent >= lastWritten)
            {
                lineIndex++;
                lineOffset = 0;
            }
            else
            {
                lineOffset += (short)Math.Max(0, context.LastSent);
            }
        }

        var output = context.Output;
        var length = PreambleLine.Write(seed, lineIndex, output);
        if (lineOffset > 0)
        {
            output[lineOffset..length].CopyTo(output);
        }

        context.Written = length - lineOffset;
        lastWritten = (short)context.Written;
        return SessionStep.After(Tarpits.Jitter.Next(mode.Interval, mode.Jitter, context.Random));
    }
}
