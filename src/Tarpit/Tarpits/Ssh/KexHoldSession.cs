namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// One connection held by <see cref="KexHold"/>: a seed and how many bytes of its stream the kernel accepted. The
/// identification line goes out at once, the KEXINIT whole once the client's identification line is in (as sshd sends
/// them: nmap reads the banner as a line and the KEXINIT as the next packet) or after the first interval without one.
/// Until the first interval ends the client's side is read (<see cref="ClientKexReader"/>): a client that negotiated a
/// fixed finite-field group and sent its KEXDH_INIT gets the whole <see cref="KexDhReply"/> at once, as from sshd, then
/// silence. Any other client gets the dripped reply <c>drip_bytes</c> at a time; once all but its last byte are out,
/// the connection is held in silence (the client is waiting for that byte) until it leaves or <c>max_hold</c> ends it.
/// </summary>
internal sealed class KexHoldSession(KexHold mode, ulong seed) : ITarpitSession
{
    private int _offset;
    private ClientKexReader? _reader;
    private bool _readDone;
    private TimeSpan _dripAt;
    private byte[]? _reply;
    private int _replySent;

    public SessionStep Step(ref SessionContext context)
    {
        var stream = mode.Stream;
        if (_reply is not null)
        {
            return Answer(ref context);
        }

        _offset += Math.Max(0, context.LastSent);
        if (!_readDone)
        {
            var first = _reader is null;
            var reader = _reader ??= new ClientKexReader(mode.ServerKex, mode.ServerHostKeys);
            if (first)
            {
                _dripAt = context.Elapsed + Tarpits.Jitter.Next(mode.Interval, mode.Jitter, context.Random);
            }

            // The engine steps an input wait with nothing received only when its deadline (the first drip) is due.
            var received = !context.Received.IsEmpty;
            var reading = received ? reader.Feed(context.Received) : reader.Result;
            if (reading == ClientKexReading.DhInitReceived && _offset == stream.KexInitEnd)
            {
                _reply = KexDhReply.Packet(reader.Kex!, reader.HostKey!, mode.HostKeys, context.Random);
                _readDone = true;
                _reader = null;
                context.LastSent = 0;
                return Answer(ref context);
            }

            if (reading == ClientKexReading.OtherMajorVersion)
            {
                // sshd: its banner (sent at connect), "Protocol major versions differ." and a close.
                var banner = Math.Max(0, stream.IdentificationLength - _offset);
                stream.Write(seed, _offset, context.Output[..banner]);
                ClientKexReader.MajorVersionsDiffer.CopyTo(context.Output[banner..]);
                context.Written = banner + ClientKexReader.MajorVersionsDiffer.Length;
                return SessionStep.Close;
            }

            // As sshd: the banner at once, the KEXINIT once the client's identification line is in (scanners read the
            // banner as a line and the KEXINIT as the next packet), or when the first interval ends without one.
            var deadline = !received && !first;
            var until = reader.LineRead || deadline ? stream.KexInitEnd : stream.IdentificationLength;
            if (_offset < until || (received && reading == ClientKexReading.Incomplete && context.Elapsed < _dripAt))
            {
                if (deadline && _offset < stream.KexInitEnd)
                {
                    // The KEXINIT goes out now; the reply starts one interval later.
                    _dripAt = context.Elapsed + Tarpits.Jitter.Next(mode.Interval, mode.Jitter, context.Random);
                }

                var pending = Math.Min(Math.Max(0, until - _offset), context.Output.Length);
                stream.Write(seed, _offset, context.Output[..pending]);
                context.Written = pending;
                return SessionStep.AwaitInput(_dripAt > context.Elapsed ? _dripAt - context.Elapsed : TimeSpan.Zero);
            }

            _readDone = true;
            _reader = null;
        }

        var count = _offset < stream.KexInitEnd ? stream.KexInitEnd - _offset : mode.DripBytes;
        count = Math.Min(Math.Min(count, stream.Length - _offset), context.Output.Length);
        stream.Write(seed, _offset, context.Output[..count]);
        context.Written = count;
        // The client's own key exchange packets are never read: dropped, so they pin no kernel memory, and a client
        // that left is noticed at the next step (once the reply is out, nothing is sent that would fail).
        context.DiscardInput = true;
        return SessionStep.After(Tarpits.Jitter.Next(mode.Interval, mode.Jitter, context.Random));
    }

    /// <summary>The rest of the finite-field reply, then silence (the client waits for NEWKEYS), its input dropped.</summary>
    private SessionStep Answer(ref SessionContext context)
    {
        _replySent += Math.Max(0, context.LastSent);
        if (_replySent >= _reply!.Length && _reply.Length > 0)
        {
            // All of it is out: keep no copy for the rest of the hold.
            _reply = [];
            _replySent = 0;
        }

        var count = Math.Min(_reply.Length - _replySent, context.Output.Length);
        _reply.AsSpan(_replySent, count).CopyTo(context.Output);
        context.Written = count;
        context.DiscardInput = true;
        return SessionStep.After(Tarpits.Jitter.Next(mode.Interval, mode.Jitter, context.Random));
    }
}
