using System.Net.Sockets;
using Tarpit.Linux;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tarpits.Engine;

/// <summary>The per-connection state machine, non-blocking I/O and closing.</summary>
internal sealed partial class TarpitScheduler
{
    private void Handle(int slot, long now)
    {
        ref var connection = ref _table[slot];
        if (now >= connection.HoldDeadlineTicks)
        {
            Close(slot, now, "max_hold reached");
            return;
        }

        switch (connection.Phase)
        {
            case HeldConnectionPhase.Waiting:
                Step(slot, now, [], inputTimedOut: false);
                break;
            case HeldConnectionPhase.Closing:
                Close(slot, now, "closed by the session");
                break;
            case HeldConnectionPhase.AwaitingInput:
                Poll(slot, now);
                break;
            case HeldConnectionPhase.ReadingProxyHeader:
                ReadProxyHeader(slot, now);
                break;
        }
    }

    private void Poll(int slot, long now)
    {
        ref var connection = ref _table[slot];
        var error = NonBlockingSocket.Receive(connection.Descriptor, _receiveBuffer, out var count);
        if (error == SocketError.Success && count > 0)
        {
            Step(slot, now, _receiveBuffer.AsSpan(0, count), inputTimedOut: false);
        }
        else if (error == SocketError.Success)
        {
            Close(slot, now, "client closed");
        }
        else if (error != SocketError.WouldBlock)
        {
            Close(slot, now, DescribeError(error));
        }
        else if (now >= connection.InputDeadlineTicks)
        {
            Step(slot, now, [], inputTimedOut: true);
        }
        else
        {
            connection.PollTicks = (int)Math.Min(connection.PollTicks * 2L, MaxPoll.Ticks);
            Schedule(slot, now, Math.Min(now + connection.PollTicks, connection.InputDeadlineTicks));
        }
    }

    private void Step(int slot, long now, ReadOnlySpan<byte> received, bool inputTimedOut)
    {
        ref var connection = ref _table[slot];
        var context = new SessionContext(this, _outputBuffer, _random)
        {
            ConnectionId = connection.Id,
            State = connection.SessionState,
            Received = received,
            InputTimedOut = inputTimedOut,
            LastSent = connection.LastSent,
            Elapsed = TimeSpan.FromTicks(now - connection.AcceptedTicks),
            Now = _timeProvider.GetUtcNow(),
            RemoteAddress = connection.RemoteAddress,
        };
        SessionStep step;
        _current = slot;
        try
        {
            step = connection.Session!.Step(ref context);
            PublishFindings(slot);
            connection.SessionState = context.State;
            if (context.Next is { } next)
            {
                connection.Session = next;
            }

            if (context.Written < 0 || context.Written > _outputBuffer.Length)
            {
                throw new InvalidOperationException($"The session wrote {context.Written} bytes; 0 to {_outputBuffer.Length} are allowed.");
            }
        }
        catch (Exception ex)
        {
            EngineLog.SessionFailed(_log, ex, connection.Tarpit.Name, connection.Tarpit.Protocol, connection.Tarpit.Mode.Name, connection.Id);
            PublishFindings(slot);
            Close(slot, now, "session failed");
            return;
        }
        finally
        {
            _current = -1;
        }

        if (connection.RefusedAtNaming)
        {
            Close(slot, now, "max_clients_per_ip of the client its proxy named");
            return;
        }

        if (!Send(slot, now, context.Written) || (context.DiscardInput && !Discard(slot, now)))
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
                Schedule(slot, now, now + step.Delay.Ticks);
                break;
            case SessionStepKind.AwaitInput:
                // A client that sent part of what the session waits for and got no answer keeps its poll backoff: reset
                // to FirstPoll after every byte, 1,200 clients trickling a head a byte every 10 ms cost 18-30 % of the
                // scheduler's core in recv(2) calls; kept, 8 % (bench/http-tls/trickle). An answer starts afresh.
                var trickling = connection.Phase == HeldConnectionPhase.AwaitingInput && received.Length > 0 && context.Written == 0;
                connection.Phase = HeldConnectionPhase.AwaitingInput;
                connection.InputDeadlineTicks = now + step.Delay.Ticks;
                connection.PollTicks = (int)(trickling ? Math.Min(connection.PollTicks * 2L, MaxPoll.Ticks) : FirstPoll.Ticks);
                Schedule(slot, now, Math.Min(now + connection.PollTicks, connection.InputDeadlineTicks));
                break;
            case SessionStepKind.CloseAfter:
                connection.Phase = HeldConnectionPhase.Closing;
                Schedule(slot, now, now + step.Delay.Ticks);
                break;
            default:
                Close(slot, now, "closed by the session");
                break;
        }
    }

    /// <summary>Sends <c>Output[..count]</c> without blocking; false (and the connection closed) when the client is gone.</summary>
    private bool Send(int slot, long now, int count)
    {
        ref var connection = ref _table[slot];
        if (count == 0)
        {
            connection.LastSent = 0;
            return true;
        }

        var error = NonBlockingSocket.Send(connection.Descriptor, _outputBuffer.AsSpan(0, count), out var sent);
        if (error is not SocketError.Success and not SocketError.WouldBlock)
        {
            Close(slot, now, DescribeError(error));
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
    private bool Discard(int slot, long now)
    {
        ref var connection = ref _table[slot];
        for (var i = 0; i < MaxDiscardReads; i++)
        {
            var error = NonBlockingSocket.Receive(connection.Descriptor, _receiveBuffer, out var count);
            if (error == SocketError.WouldBlock)
            {
                return true;
            }

            if (error != SocketError.Success || count == 0)
            {
                Close(slot, now, error == SocketError.Success ? "client closed" : DescribeError(error));
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
    private void Schedule(int slot, long now, long dueTicks)
    {
        ref var connection = ref _table[slot];
        connection.Queued = true;
        _due.Enqueue(slot, Math.Max(now + 1, Math.Min(dueTicks, connection.HoldDeadlineTicks)));
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
            var slot = _byDescriptor.Find(descriptor);
            if (slot < 0)
            {
                _hangups.Forget(descriptor); // nobody's (cannot happen: Close forgets it first); never report it again
            }
            else if (left)
            {
                Close(slot, now, "client closed");
            }
            else if (_table[slot].DrainArmed && Discard(slot, now) && _table[slot].DrainedSinceStep >= MaxDrainedPerStep)
            {
                _table[slot].DrainArmed = !_hangups.WatchInput(descriptor, input: false);
            }
        }

        _ready.Clear();
    }

    /// <summary>
    /// Closes the connection and gives its places back; its slot is freed now, or when its queue entry comes out (the
    /// caller's <c>ref</c> to the slot then reads an empty one: nothing of the connection is used after this).
    /// </summary>
    private void Close(int slot, long now, string reason)
    {
        ref var connection = ref _table[slot];

        // Not left to close(2): a child forked meanwhile (nft, a hook) holds the file open until it execs, and its
        // epoll item would then report under a descriptor number a new connection may already have.
        Forget(slot);
        ReleaseAdmission(connection.Descriptor, connection.Tarpit, connection.Counted);
        EngineLog.Closed(_log, connection.Id, connection.RemoteAddress, connection.Tarpit.Name, reason);
        if (connection.Session is not null && !connection.RefusedAtNaming)
        {
            // Else no session ran (the PROXY header failed) or refused at naming: no events, as for a refusal at admission.
            if (!connection.OpenedPublished)
            {
                PublishOpened(slot, now); // a proxy's connection that closed before its head named anyone
            }

            _events.Publish(EventOf(ConnectionEventKind.Closed, slot, now, connection.Summary));
        }

        if (!connection.Queued)
        {
            _table.Free(slot);
        }
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
