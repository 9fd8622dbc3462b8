using System.Buffers;

namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// A connection under client verification: waits (probe delay, jittered) for the client's identification string,
/// reading it as it arrives, then hands over to the held session it chose: it runs that session's first Step, and the
/// engine steps it from then on in place of this one (<see cref="SessionContext.Next"/>), so a verified connection
/// keeps no verification object. A line that comes whole in one read (a real client's always does) is not buffered;
/// one that comes in pieces is kept, bounded by <see cref="ClientIdentification.MaxLineLength"/>, in a pooled buffer
/// until it ends, so that its capture is whole.
/// </summary>
internal sealed class SshClientVerificationSession(SshClientVerifier verifier) : ITarpitSession
{
    private TimeSpan _deadline;
    private ClientIdentification _identification;
    private bool _recorded;
    private byte[]? _pieces;

    public SessionStep Step(ref SessionContext context)
    {
        if (_deadline == TimeSpan.Zero)
        {
            _deadline = context.Elapsed + Tarpits.Jitter.Next(verifier.ProbeDelay, verifier.Jitter, context.Random);
        }

        var received = context.Received;
        if (!received.IsEmpty)
        {
            var before = _identification.Seen;
            var lineStartsHere = before == 0;
            var greeting = _identification.Feed(received, out var lineLength);
            if (!_recorded)
            {
                _recorded = true;
                context.RecordFirstBytes(greeting == ClientGreeting.Version ? received[..lineLength] : received);
            }

            switch (greeting)
            {
                case ClientGreeting.Version:
                    if (lineStartsHere)
                    {
                        // The whole line came in one read (it always does from a real client): its software decides.
                        var line = received[..lineLength];
                        context.Observe(SshClientVerifier.ClientVersionKey, Text.AttackerText.Escape(line));
                        context.Publish(CaptureKeys.Ssh, IdentificationCapture.Compose(line));
                        return HandOver(ref context, verifier.HoldFor(line));
                    }

                    // Pieces: the software is not trusted to decide (a person typing, a probe), but it is captured.
                    Keep(received, before);
                    var whole = _pieces.AsSpan(0, _identification.Seen);
                    whole = whole.EndsWith((byte)'\r') ? whole[..^1] : whole;
                    context.Observe(SshClientVerifier.ClientVersionKey, Text.AttackerText.Escape(whole));
                    context.Publish(CaptureKeys.Ssh, IdentificationCapture.Compose(whole));
                    return HandOver(ref context, verifier.SpeakerHold);
                case ClientGreeting.Garbage:
                    ReleasePieces();
                    // sshd: its banner (sent at connect), "Invalid SSH identification string." and a close.
                    verifier.GarbageAnswer.CopyTo(context.Output);
                    context.Written = verifier.GarbageAnswer.Length;
                    return SessionStep.Close;
                default:
                    Keep(received, before);
                    break;
            }
        }

        var remaining = _deadline - context.Elapsed;
        if (context.InputTimedOut || remaining <= TimeSpan.Zero)
        {
            // A client that began "SSH-" but never finished the line is a slow SSH client, not a silent scanner.
            return HandOver(ref context, _identification.HasPrefix ? verifier.SpeakerHold : verifier.SilentHold);
        }

        return SessionStep.AwaitInput(remaining);
    }

    /// <summary>
    /// Appends what the last Feed took of <paramref name="received"/> (the line's bytes from <paramref name="before"/>
    /// on; <see cref="ClientIdentification"/> has already refused a line past its bound, so they never exceed it); the
    /// buffer is rented at the bound on the first piece.
    /// </summary>
    private void Keep(ReadOnlySpan<byte> received, int before)
    {
        _pieces ??= ArrayPool<byte>.Shared.Rent(ClientIdentification.MaxLineLength);
        received[..(_identification.Seen - before)].CopyTo(_pieces.AsSpan(before));
    }

    private void ReleasePieces()
    {
        if (_pieces is not null)
        {
            ArrayPool<byte>.Shared.Return(_pieces);
            _pieces = null;
        }
    }

    private SessionStep HandOver(ref SessionContext context, ISshHold hold)
    {
        ReleasePieces();
        context.MarkVerified();
        var held = hold.Hold(context.ConnectionId);
        context.Next = held;
        context.State = 0;
        return held.Step(ref context);
    }
}
