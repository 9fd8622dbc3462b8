using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tarpit.Linux;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tarpits.Engine;

/// <summary>Admission: the limits per tarpit, per address and per IPv6 /64, and giving a place back at close.</summary>
internal sealed partial class TarpitScheduler
{
    private void Admit(AcceptedConnection accepted, long now)
    {
        var tarpit = accepted.Tarpit;

        // A trusted proxy carries many clients: it is not capped as one. Its connection is counted under the client
        // it names, once named (max_clients still bounds them all).
        var counted = accepted.ViaTrustedProxy ? null : TryCount(tarpit, accepted.Remote.Address);
        if (!accepted.ViaTrustedProxy && counted is null)
        {
            SocketDescriptor.Close(accepted.Descriptor);
            tarpit.Slots.Release();
            return;
        }

        Interlocked.Increment(ref _held);
        var id = ++_nextConnectionId;
        _lastAdmissionTicks = now;
        var slot = _table.Add(new HeldConnection(accepted, id, now));
        ref var connection = ref _table[slot];
        if (counted is not null)
        {
            connection.CountAs(counted, accepted.Remote.Port);
        }

        if (_hangups.Watch(connection.Descriptor))
        {
            _byDescriptor.Add(connection.Descriptor, slot);
        }

        if (accepted.ViaTrustedProxy && tarpit.Config.ProxyProtocol)
        {
            connection.Phase = HeldConnectionPhase.ReadingProxyHeader;
            connection.InputDeadlineTicks = now + ProxyHeaderTimeout.Ticks;
            connection.PollTicks = (int)FirstPoll.Ticks;
            ReadProxyHeader(slot, now);
            return;
        }

        OpenSession(slot, now);
    }

    /// <summary>
    /// The mode opens its session for the client now known. The Opened event waits for the first request head when
    /// the peer is a trusted proxy of an HTTP tarpit that reads heads (verify_client): the head names the client.
    /// </summary>
    private void OpenSession(int slot, long now)
    {
        ref var connection = ref _table[slot];
        var tarpit = connection.Tarpit;
        try
        {
            connection.Session = tarpit.Mode.Open(new SessionOpen(connection.Id, connection.RemoteAddress, connection.RemotePort, connection.OriginalPort));
        }
        catch (Exception ex)
        {
            EngineLog.OpenFailed(_log, ex, tarpit.Name, tarpit.Protocol, tarpit.Mode.Name, connection.Id, connection.RemoteAddress);
            Forget(slot);
            ReleaseAdmission(connection.Descriptor, tarpit, connection.Counted);
            _table.Free(slot); // not queued yet
            return;
        }

        var headsName = tarpit.Config.Protocol == Config.TarpitProtocol.Http && tarpit.Config.VerifyClient
            && !connection.Named && tarpit.IsTrustedProxy(connection.RemoteAddress);
        if (!headsName)
        {
            PublishOpened(slot, now);
        }

        Step(slot, now, [], inputTimedOut: false);
    }

    /// <summary>
    /// Counts one more connection from <paramref name="address"/> and returns the address instance its connections
    /// share; null (logged, counted as refused) at a cap.
    /// </summary>
    private System.Net.IPAddress? TryCount(TarpitRuntime tarpit, System.Net.IPAddress address)
    {
        tarpit.PerAddress.TryGetValue(address, out var fromAddress);
        if (fromAddress.Count >= tarpit.MaxClientsPerIp)
        {
            EngineLog.RefusedPerAddress(_log, address, tarpit.Name, fromAddress.Count);
            Metrics?.ConnectionRefused(tarpit.Name, tarpit.Protocol, tarpit.Mode.Name, "max_clients_per_ip");
            return null;
        }

        var prefix = V6PrefixOf(address);
        var fromPrefix = 0;
        if (prefix is { } p && tarpit.PerV6Prefix.TryGetValue(p, out fromPrefix) && fromPrefix >= tarpit.MaxClientsPerV6Prefix)
        {
            EngineLog.RefusedPerV6Prefix(_log, address, tarpit.Name, fromPrefix);
            Metrics?.ConnectionRefused(tarpit.Name, tarpit.Protocol, tarpit.Mode.Name, "max_clients_per_v6_64");
            return null;
        }

        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(tarpit.PerAddress, address, out var known);
        if (!known)
        {
            entry.Address = address;
        }

        entry.Count++;
        if (prefix is { } counted)
        {
            tarpit.PerV6Prefix[counted] = fromPrefix + 1;
        }

        return entry.Address;
    }

    private void PublishOpened(int slot, long now)
    {
        _table[slot].OpenedPublished = true;
        _events.Publish(EventOf(ConnectionEventKind.Opened, slot, now, null));
    }

    private void Forget(int slot)
    {
        ref var connection = ref _table[slot];
        connection.Phase = HeldConnectionPhase.Closed;
        if (_byDescriptor.Remove(connection.Descriptor, slot))
        {
            _hangups.Forget(connection.Descriptor);
        }
    }

    private void ReleaseAdmission(int descriptor, TarpitRuntime tarpit, System.Net.IPAddress? counted)
    {
        SocketDescriptor.Close(descriptor);
        if (counted is { } address)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(tarpit.PerAddress, address);
            if (!Unsafe.IsNullRef(ref entry) && --entry.Count <= 0)
            {
                tarpit.PerAddress.Remove(address);
            }

            if (V6PrefixOf(address) is { } prefix)
            {
                Decrement(tarpit.PerV6Prefix, prefix);
            }
        }

        Interlocked.Decrement(ref _held);
        tarpit.Slots.Release();
    }

    /// <summary>The upper 64 bits of an IPv6 client (v4-mapped ones are already plain IPv4), the key of max_clients_per_v6_64; null for IPv4.</summary>
    internal static ulong? V6PrefixOf(System.Net.IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        _ = address.TryWriteBytes(bytes, out _);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }

    /// <summary>One connection fewer under <paramref name="key"/>; the entry goes with the last one.</summary>
    private static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey key)
        where TKey : notnull
    {
        if (counts.TryGetValue(key, out var count) && count > 1)
        {
            counts[key] = count - 1;
        }
        else
        {
            counts.Remove(key);
        }
    }
}
