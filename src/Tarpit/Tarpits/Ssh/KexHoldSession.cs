namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// One connection held by <see cref="KexHold"/>: a seed and how many bytes of its stream the kernel accepted. The
/// identification line and the KEXINIT go out whole in the first step (as sshd sends them; scanners read them at once),
/// the reply <c>drip_bytes</c> at a time; once all but its last byte are out, the connection is held in silence (the
/// client is waiting for that byte) until it leaves or <c>max_hold</c> ends it.
/// </summary>
internal sealed class KexHoldSession(KexHold mode, ulong seed) : ITarpitSession
{
    private int _offset;

    public SessionStep Step(ref SessionContext context)
    {
        _offset += Math.Max(0, context.LastSent);
        var stream = mode.Stream;
        var count = _offset < stream.KexInitEnd ? stream.KexInitEnd - _offset : mode.DripBytes;
        count = Math.Min(Math.Min(count, stream.Length - _offset), context.Output.Length);
        stream.Write(seed, _offset, context.Output[..count]);
        context.Written = count;
        // The client's own key exchange packets are never read: dropped, so they pin no kernel memory, and a client
        // that left is noticed at the next step (once the reply is out, nothing is sent that would fail).
        context.DiscardInput = true;
        return SessionStep.After(Tarpits.Jitter.Next(mode.Interval, mode.Jitter, context.Random));
    }
}
