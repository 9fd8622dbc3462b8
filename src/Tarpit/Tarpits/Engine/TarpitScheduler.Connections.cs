using System.Net.Sockets;
using Tarpit.Linux;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tarpits.Engine;

/// <summary>The per-connection state machine, non-blocking I/O and closing.</summary>
internal sealed partial class TarpitScheduler
{
    private void Handle(HeldConnection connection, long now)
    {
        if (now >= connection.HoldDeadlineTicks)
        {
            Close(connection, now, "max_hold reached");
            return;
        }

        switch (connection.Phase)
        {
            case HeldConnectionPhase.Waiting:
                Step(connection, now, [], inputTimedOut: false);
                break;
            case HeldConnectionPhase.Closing:
                Close(connection, now, "closed by the session");
                break;
            case HeldConnectionPhase.AwaitingInput:
                Poll(connection, now);
                break;
            case HeldConnectionPhase.ReadingProxyHeader:
                ReadProxyHeader(connection, now);
                break;
        }
    }

    private void Poll(HeldConnection connection, long now)
    {
        var error = NonBlockingSocket.Receive(connection.Descriptor, _receiveBuffer, out var count);
        if (error == SocketError.Success && count > 0)
        {
            Step(connection, now, _receiveBuffer.AsSpan(0, count), inputTimedOut: false);
        }
        else if (error == SocketError.Success)
        {
            Close(connection, now, "client closed");
        }
        else if (error != SocketError.WouldBlock)
        {
            Close(connection, now, DescribeError(error));
        }
        else if (now >= connection.InputDeadlineTicks)
        {
            Step(connection, now, [], inputTimedOut: true);
        }
        else
        {
            connection.PollTicks = Math.Min(connection.PollTicks * 2, MaxPoll.Ticks);
            Schedule(connection, now, Math.Min(now + connection.PollTicks, connection.InputDeadlineTicks));
        }
    }

    private void Step(HeldConnection connection, long now, ReadOnlySpan<byte> received, bool inputTimedOut)
    {
        var context = new SessionContext(this, _outputBuffer, _random)
        {
            Received = received,
            InputTimedOut = inputTimedOut,
            LastSent = connection.LastSent,
            Elapsed = TimeSpan.FromTicks(now - connection.AcceptedTicks),
            Now = _timeProvider.GetUtcNow(),
            RemoteAddress = connection.RemoteAddress,
        };
        SessionStep step;
        _current = connection;
        try
        {
            step = connection.Session!.Step(ref context);
            if (context.Written < 0 || context.Written > _outputBuffer.Length)
            {
                throw new InvalidOperationException($"The session wrote {context.Written} bytes; 0 to {_outputBuffer.Length} are allowed.");
            }
        }
        catch (Exception ex)
        {
            EngineLog.SessionFailed(_log, ex, connection.Tarpit.Name, connection.Tarpit.Protocol, connection.Tarpit.Mode.Name, connection.Id);
            Close(connection, now, "session failed");
            return;
        }
        finally
        {
            _current = null;
        }

        if (connection.RefusedAtNaming)
        {
            Close(connection, now, "max_clients_per_ip of the client its proxy named");
            return;
        }

        if (!Send(connection, now, context.Written) || (context.DiscardInput && !Discard(connection, now)))
        {
            return;
        }

        connection.DrainedSinceStep = 0;
        if (context.DiscardInput && !connection.DrainArmed)
        {
            // What arrives before the next step is dropped when it arrives: a client's FIN behind it is then seen.
            connection.DrainArmed = _hangups.WatchInput(connection.Descriptor, input: true);
        }

        switch (step.Kind)
        {
            case SessionStepKind.After:
                connection.Phase = HeldConnectionPhase.Waiting;
                Schedule(connection, now, now + step.Delay.Ticks);
                break;
            case SessionStepKind.AwaitInput:
                // A client that sent part of what the session waits for and got no answer keeps its poll backoff: reset
                // to FirstPoll after every byte, 1,200 clients trickling a head a byte every 10 ms cost 18-30 % of the
                // scheduler's core in recv(2) calls; kept, 8 % (bench/http-tls/trickle). An answer starts afresh.
                var trickling = connection.Phase == HeldConnectionPhase.AwaitingInput && received.Length > 0 && context.Written == 0;
                connection.Phase = HeldConnectionPhase.AwaitingInput;
                connection.InputDeadlineTicks = now + step.Delay.Ticks;
                connection.PollTicks = trickling ? Math.Min(connection.PollTicks * 2, MaxPoll.Ticks) : FirstPoll.Ticks;
                Schedule(connection, now, Math.Min(now + connection.PollTicks, connection.InputDeadlineTicks));
                break;
            case SessionStepKind.CloseAfter:
                connection.Phase = HeldConnectionPhase.Closing;
                Schedule(connection, now, now + step.Delay.Ticks);
                break;
            default:
                Close(connection, now, "closed by the session");
                break;
        }
    }

    /// <summary>Sends <c>Output[..count]</c> without blocking; false (and the connection closed) when the client is gone.</summary>
    private bool Send(HeldConnection connection, long now, int count)
    {
        if (count == 0)
        {
            connection.LastSent = 0;
            return true;
        }

        var error = NonBlockingSocket.Send(connection.Descriptor, _outputBuffer.AsSpan(0, count), out var sent);
        if (error is not SocketError.Success and not SocketError.WouldBlock)
        {
            Close(connection, now, DescribeError(error));
            return false;
        }

        sent = error == SocketError.Success ? sent : 0;
        connection.LastSent = sent;
        connection.BytesSent += sent;
        return true;
    }

    /// <summary>
    /// Reads and drops what the client sent (at most <see cref="MaxDiscardReads"/> chunks per step; the rest waits in
    /// the kernel's bounded buffer); false (and the connection closed) when the client has left.
    /// </summary>
    private bool Discard(HeldConnection connection, long now)
    {
        for (var i = 0; i < MaxDiscardReads; i++)
        {
            var error = NonBlockingSocket.Receive(connection.Descriptor, _receiveBuffer, out var count);
            if (error == SocketError.WouldBlock)
            {
                return true;
            }

            if (error != SocketError.Success || count == 0)
            {
                Close(connection, now, error == SocketError.Success ? "client closed" : DescribeError(error));
                return false;
            }

            connection.DrainedSinceStep += count;

            if (count < _receiveBuffer.Length)
            {
                return true; // all it had
            }
        }

        return true;
    }

    /// <summary>Queues the connection at <paramref name="dueTicks"/>, never past max_hold, and always after this pass.</summary>
    private void Schedule(HeldConnection connection, long now, long dueTicks)
    {
        _due.Enqueue(connection, Math.Max(now + 1, Math.Min(dueTicks, connection.HoldDeadlineTicks)));
    }

    /// <summary>
    /// Closes the connections whose client left since the last pass, at the time it is noticed (this pass), and drops
    /// the input of those that discard it as it arrives, up to <see cref="MaxDrainedPerStep"/> between two steps (then
    /// the watch on input is disarmed until the session's next step arms it again).
    /// </summary>
    private void CloseDeparted(long now)
    {
        _hangups.Collect(_ready);
        foreach (var (descriptor, left) in _ready)
        {
            if (_byDescriptor.Find(descriptor) is not { } connection)
            {
                _hangups.Forget(descriptor); // nobody's (cannot happen: Close forgets it first); never report it again
            }
            else if (left)
            {
                Close(connection, now, "client closed");
            }
            else if (connection.DrainArmed && Discard(connection, now) && connection.DrainedSinceStep >= MaxDrainedPerStep)
            {
                connection.DrainArmed = !_hangups.WatchInput(descriptor, input: false);
            }
        }

        _ready.Clear();
    }

    private void Close(HeldConnection connection, long now, string reason)
    {
        // Not left to close(2): a child forked meanwhile (nft, a hook) holds the file open until it execs, and its
        // epoll item would then report under a descriptor number a new connection may already have.
        Forget(connection);
        ReleaseAdmission(connection.Descriptor, connection.Tarpit, connection.Counted);
        EngineLog.Closed(_log, connection.Id, connection.RemoteAddress, connection.Tarpit.Name, reason);
        if (connection.Session is null || connection.RefusedAtNaming)
        {
            return; // no session ran (the PROXY header failed) or refused at naming: no events, as for a refusal at admission
        }

        if (!connection.OpenedPublished)
        {
            PublishOpened(connection, now); // a proxy's connection that closed before its head named anyone
        }

        _events.Publish(EventOf(ConnectionEventKind.Closed, connection, now, connection.Details));
    }

    /// <summary>Peer resets and aborts are the normal end of a tarpit connection, not errors.</summary>
    private static string DescribeError(SocketError error) => error switch
    {
        SocketError.ConnectionReset => "client reset the connection",
        SocketError.ConnectionAborted or SocketError.Shutdown => "client went away",
        SocketError.TimedOut => "client stopped answering (TCP timeout)",
        _ => "socket error " + error,
    };
}
