namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// A connection under client verification: waits (probe delay, jittered) for the client's identification string,
/// reading it as it arrives without buffering it, then hands over to the held session it chose and steps that from
/// then on.
/// </summary>
internal sealed class SshClientVerificationSession(SshClientVerifier verifier, ulong seed) : ITarpitSession
{
    private ITarpitSession? held;
    private TimeSpan deadline;
    private ClientIdentification identification;
    private bool recorded;

    public SessionStep Step(ref SessionContext context)
    {
        if (held is not null)
        {
            return held.Step(ref context);
        }

        if (deadline == TimeSpan.Zero)
        {
            deadline = context.Elapsed + Tarpits.Jitter.Next(verifier.ProbeDelay, verifier.Jitter, context.Random);
        }

        var received = context.Received;
        if (!received.IsEmpty)
        {
            var lineStartsHere = identification.Seen == 0;
            var greeting = identification.Feed(received, out var lineLength);
            if (!recorded)
            {
                recorded = true;
                context.RecordFirstBytes(greeting == ClientGreeting.Version ? received[..lineLength] : received);
            }

            switch (greeting)
            {
                case ClientGreeting.Version:
                    if (lineStartsHere)
                    {
                        context.Observe(SshClientVerifier.ClientVersionKey, Text.AttackerText.Escape(received[..lineLength]));
                    }

                    return HandOver(ref context, verifier.SpeakerHold);
                case ClientGreeting.Garbage:
                    return SessionStep.CloseAfter(SshClientVerifier.GarbageCloseDelay(context.Random));
            }
        }

        var remaining = deadline - context.Elapsed;
        if (context.InputTimedOut || remaining <= TimeSpan.Zero)
        {
            // A client that began "SSH-" but never finished the line is a slow SSH client, not a silent scanner.
            return HandOver(ref context, identification.HasPrefix ? verifier.SpeakerHold : verifier.SilentHold);
        }

        return SessionStep.AwaitInput(remaining);
    }

    private SessionStep HandOver(ref SessionContext context, ISshHold hold)
    {
        context.MarkVerified();
        held = hold.Hold(seed);
        return held.Step(ref context);
    }
}
