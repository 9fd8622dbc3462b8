using System.Net.Sockets;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tarpits.Engine;

/// <summary>Admission: the limits per tarpit, per address and per IPv6 /64, and giving a place back at close.</summary>
internal sealed partial class TarpitScheduler
{
    private void Admit(AcceptedConnection accepted, long now)
    {
        var tarpit = accepted.Tarpit;
        var address = accepted.Remote.Address;
        tarpit.PerAddress.TryGetValue(address, out var fromAddress);
        if (fromAddress >= tarpit.MaxClientsPerIp)
        {
            EngineLog.RefusedPerAddress(_log, address, tarpit.Name, fromAddress);
            Metrics?.ConnectionRefused(tarpit.Name, tarpit.Protocol, tarpit.Mode.Name, "max_clients_per_ip");
            accepted.Socket.Dispose();
            tarpit.Slots.Release();
            return;
        }

        var prefix = V6PrefixOf(address);
        var fromPrefix = 0;
        if (prefix is { } p && tarpit.PerV6Prefix.TryGetValue(p, out fromPrefix) && fromPrefix >= tarpit.MaxClientsPerV6Prefix)
        {
            EngineLog.RefusedPerV6Prefix(_log, address, tarpit.Name, fromPrefix);
            Metrics?.ConnectionRefused(tarpit.Name, tarpit.Protocol, tarpit.Mode.Name, "max_clients_per_v6_64");
            accepted.Socket.Dispose();
            tarpit.Slots.Release();
            return;
        }

        tarpit.PerAddress[address] = fromAddress + 1;
        if (prefix is { } counted)
        {
            tarpit.PerV6Prefix[counted] = fromPrefix + 1;
        }

        Interlocked.Increment(ref _held);
        var id = ++_nextConnectionId;
        ITarpitSession session;
        try
        {
            session = tarpit.Mode.Open(new SessionOpen(id, accepted.Remote, accepted.OriginalPort));
        }
        catch (Exception ex)
        {
            EngineLog.OpenFailed(_log, ex, tarpit.Name, tarpit.Protocol, tarpit.Mode.Name, id, address);
            ReleaseAdmission(accepted.Socket, tarpit, address);
            return;
        }

        var connection = new HeldConnection(accepted, id, session, now, _timeProvider.GetUtcNow());
        if (_hangups.Watch(connection.Descriptor))
        {
            _byDescriptor[connection.Descriptor] = connection;
        }

        _events.Publish(EventOf(ConnectionEventKind.Opened, connection, now, null));
        Step(connection, now, [], inputTimedOut: false);
    }

    private void ReleaseAdmission(Socket socket, TarpitRuntime tarpit, System.Net.IPAddress address)
    {
        socket.Dispose();
        Decrement(tarpit.PerAddress, address);
        if (V6PrefixOf(address) is { } prefix)
        {
            Decrement(tarpit.PerV6Prefix, prefix);
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
