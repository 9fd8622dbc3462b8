namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// A connection under client verification: waits (probe delay, jittered) for the client's identification string,
/// reading it as it arrives without buffering it, then hands over to the held session it chose and steps that from
/// then on.
/// </summary>
internal sealed class SshClientVerificationSession(SshClientVerifier verifier, ulong seed) : ITarpitSession
{
    private ITarpitSession? _held;
    private TimeSpan _deadline;
    private ClientIdentification _identification;
    private bool _recorded;

    public SessionStep Step(ref SessionContext context)
    {
        if (_held is not null)
        {
            return _held.Step(ref context);
        }

        if (_deadline == TimeSpan.Zero)
        {
            _deadline = context.Elapsed + Tarpits.Jitter.Next(verifier.ProbeDelay, verifier.Jitter, context.Random);
        }

        var received = context.Received;
        if (!received.IsEmpty)
        {
            var lineStartsHere = _identification.Seen == 0;
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

                    return HandOver(ref context, verifier.SpeakerHold);
                case ClientGreeting.Garbage:
                    // sshd: its banner (sent at connect), "Invalid SSH identification string." and a close.
                    verifier.GarbageAnswer.CopyTo(context.Output);
                    context.Written = verifier.GarbageAnswer.Length;
                    return SessionStep.Close;
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

    private SessionStep HandOver(ref SessionContext context, ISshHold hold)
    {
        context.MarkVerified();
        _held = hold.Hold(seed);
        return _held.Step(ref context);
    }
}
