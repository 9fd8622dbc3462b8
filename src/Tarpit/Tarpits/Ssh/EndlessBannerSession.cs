namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// How <see cref="EndlessBanner"/> holds a connection. One instance per mode, shared by all its connections: what a
/// connection needs (the index of the current line, how much of it the kernel accepted, whether the first interval is
/// over) is 49 bits in <see cref="SessionContext.State"/>, which the engine keeps in the connection's slot, and the
/// seed of its lines is a function of the mode's secret and the connection id. So a held connection costs this mode
/// no object (issue 16). Nothing is sent for the first interval. A line cut short by a full send buffer is
/// regenerated from the seed and finished before the next, so the client never sees a line longer than RFC 4253 §4.2
/// allows.
/// </summary>
internal sealed class EndlessBannerSession(EndlessBanner mode) : ITarpitSession
{
    public SessionStep Step(ref SessionContext context)
    {
        var state = new LineState(context.State);
        if (!state.Started)
        {
            // As endlessh: the first line after one interval, not at once.
            context.State = new LineState(0, 0, 0, started: true).Packed;
            context.Written = 0;
            return SessionStep.After(Tarpits.Jitter.Next(mode.Interval, mode.Jitter, context.Random));
        }

        var lineIndex = state.LineIndex;
        var lineOffset = state.LineOffset;
        if (state.LastWritten > 0)
        {
            if (context.LastSent >= state.LastWritten)
            {
                lineIndex++;
                lineOffset = 0;
            }
            else
            {
                lineOffset += Math.Max(0, context.LastSent);
            }
        }

        var output = context.Output;
        var length = PreambleLine.Write(mode.SeedOf(context.ConnectionId), lineIndex, output);
        if (lineOffset > 0)
        {
            output[lineOffset..length].CopyTo(output);
        }

        context.Written = length - lineOffset;
        context.State = new LineState(lineIndex, lineOffset, context.Written, started: true).Packed;
        return SessionStep.After(Tarpits.Jitter.Next(mode.Interval, mode.Jitter, context.Random));
    }

    /// <summary>
    /// The connection's place in its stream, packed into the 64 bits the engine keeps: the line index (32 bits: at one
    /// line a second, 136 years), the offset into that line and the bytes last written (8 bits each: a line is at most
    /// <see cref="PreambleLine.MaxLength"/> bytes), and whether the first interval is over.
    /// </summary>
    private readonly struct LineState
    {
        private const int OffsetShift = 32;
        private const int WrittenShift = 40;
        private const int StartedShift = 48;

        public LineState(ulong packed) => Packed = packed;

        public LineState(uint lineIndex, int lineOffset, int lastWritten, bool started) =>
            Packed = lineIndex
                | ((ulong)(byte)lineOffset << OffsetShift)
                | ((ulong)(byte)lastWritten << WrittenShift)
                | (started ? 1UL << StartedShift : 0);

        public ulong Packed { get; }

        public uint LineIndex => (uint)Packed;

        public int LineOffset => (byte)(Packed >> OffsetShift);

        public int LastWritten => (byte)(Packed >> WrittenShift);

        public bool Started => ((Packed >> StartedShift) & 1) != 0;
    }
}
