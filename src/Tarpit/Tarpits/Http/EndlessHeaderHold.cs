namespace Tarpit.Tarpits.Http;

/// <summary>
/// How <c>endless-header</c> holds a connection once its response head began (<see cref="EndlessHeaderSession"/> hands
/// the connection over with <see cref="SessionContext.Next"/>): one plausible header line per interval, forever. One
/// instance per mode, shared by all its connections: what a connection needs (the seed of the current line, its
/// length and how much of it the kernel accepted) is 64 bits in <see cref="SessionContext.State"/>, which the engine
/// keeps in the connection's slot, so a held connection costs this mode no object (issue 16). A line the kernel took
/// only part of is regenerated from its seed and finished before the next.
/// </summary>
internal sealed class EndlessHeaderHold(HttpTarpit tarpit) : ITarpitSession
{
    public SessionStep Step(ref SessionContext context)
    {
        var state = new LineState(context.State);
        var seed = state.Seed;
        var sent = state.Sent + Math.Clamp(context.LastSent, 0, state.Length - state.Sent);
        if (sent >= state.Length)
        {
            seed = context.Random.Next();
            sent = 0;
        }

        var w = new AsciiWriter(context.Output);
        HeaderNoise.WriteLine(ref w, tarpit.Noise.Reseed(seed));
        var length = w.Length;
        context.Output[sent..length].CopyTo(context.Output);
        context.Written = length - sent;
        context.State = new LineState(seed, length, sent).Packed;
        return SessionStep.After(tarpit.NextInterval(context.Random));
    }

    /// <summary>
    /// The line in flight, packed into the 64 bits the engine keeps: its seed (32 bits), its length and the bytes of it
    /// the kernel accepted (16 bits each: a line is at most <see cref="SessionContext.MinOutputCapacity"/> bytes). Zero
    /// (the state the hand-over leaves) is "no line yet".
    /// </summary>
    private readonly struct LineState
    {
        private const int LengthShift = 32;
        private const int SentShift = 48;

        public LineState(ulong packed) => Packed = packed;

        public LineState(int seed, int length, int sent) =>
            Packed = (uint)seed | ((ulong)(ushort)length << LengthShift) | ((ulong)(ushort)sent << SentShift);

        public ulong Packed { get; }

        public int Seed => (int)(uint)Packed;

        public int Length => (ushort)(Packed >> LengthShift);

        public int Sent => (ushort)(Packed >> SentShift);
    }
}
