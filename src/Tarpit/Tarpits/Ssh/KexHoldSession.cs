namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// One connection held by <see cref="KexHold"/>: a seed and how many bytes of its stream the kernel accepted. The
/// identification line goes out whole (scanners read it at once), the rest <c>drip_bytes</c> at a time.
/// </summary>
internal sealed class KexHoldSession(KexHold mode, ulong seed) : ITarpitSession
{
    private long _offset;

    public SessionStep Step(ref SessionContext context)
    {
        _offset += Math.Max(0, context.LastSent);
        var stream = mode.Stream;
        var count = mode.DripBytes;
        if (_offset < stream.IdentificationLength)
        {
            count += stream.IdentificationLength - (int)_offset;
        }

        count = Math.Min(count, context.Output.Length);
        stream.Write(seed, _offset, context.Output[..count]);
        context.Written = count;
        return SessionStep.After(Tarpits.Jitter.Next(mode.Interval, mode.Jitter, context.Random));
    }
}
