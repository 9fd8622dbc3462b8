using System.Net.Sockets;
using Tarpit.Linux;
using Tarpit.Net;
using Tarpit.Tarpits.Proxy;
using Tarpit.Text;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// Who the client is behind a trusted proxy: the PROXY header read before the session (peeked, so what follows stays
/// for the protocol), or an HTTP head's forwarding fields (<see cref="ISessionRecorder.NameClient"/>). A named client
/// is counted under its own address (max_clients_per_ip); the proxy never is.
/// </summary>
internal sealed partial class TarpitScheduler
{
    /// <summary>How long a trusted proxy has to send its PROXY header: nginx's <c>proxy_protocol_timeout</c> default, 30 s.</summary>
    public static readonly TimeSpan ProxyHeaderTimeout = TimeSpan.FromSeconds(30);

    private readonly byte[] _proxyBuffer = new byte[ProxyHeaderParser.MaxLength];

    private void ReadProxyHeader(int slot, long now)
    {
        ref var connection = ref _table[slot];
        var error = NonBlockingSocket.Peek(connection.Descriptor, _proxyBuffer, out var count);
        if (error == SocketError.Success && count == 0)
        {
            Close(slot, now, "proxy closed before its PROXY header");
            return;
        }

        if (error is not SocketError.Success and not SocketError.WouldBlock)
        {
            Close(slot, now, DescribeError(error));
            return;
        }

        ProxyHeader header = default;
        string? problem = null;
        var status = error == SocketError.Success
            ? ProxyHeaderParser.Read(_proxyBuffer.AsSpan(0, count), out header, out problem)
            : ProxyHeaderStatus.Incomplete;
        switch (status)
        {
            case ProxyHeaderStatus.Invalid:
                EngineLog.BadProxyHeader(_log, connection.Id, connection.RemoteAddress, connection.Tarpit.Name, problem!);
                Close(slot, now, "no valid PROXY header from a trusted proxy");
                return;
            case ProxyHeaderStatus.Incomplete when now >= connection.InputDeadlineTicks:
                EngineLog.BadProxyHeader(_log, connection.Id, connection.RemoteAddress, connection.Tarpit.Name, "no complete PROXY header within the 30 s allowed");
                Close(slot, now, "PROXY header timed out");
                return;
            case ProxyHeaderStatus.Incomplete:
                // The poll backoff of AwaitInput: a proxy trickling its header costs a peek per doubling wait, never a spin.
                connection.PollTicks = (int)Math.Min(connection.PollTicks * 2L, MaxPoll.Ticks);
                Schedule(slot, now, Math.Min(now + connection.PollTicks, connection.InputDeadlineTicks));
                return;
        }

        // Take exactly the header off the stream: the protocol's first bytes stay in the kernel for the session.
        if (NonBlockingSocket.Receive(connection.Descriptor, _proxyBuffer.AsSpan(0, header.Length), out var taken) != SocketError.Success || taken != header.Length)
        {
            Close(slot, now, "proxy went away during its PROXY header");
            return;
        }

        if (header.Source is { } source)
        {
            EngineLog.ProxyNamedClient(_log, connection.Id, connection.RemoteAddress, source.Address, connection.Tarpit.Name, "PROXY v" + header.Version);
            connection.SetRemote(source.Address, source.Port);
            connection.OriginalPort = header.Destination!.Port;
            if (!connection.Tarpit.IsTrustedProxy(source.Address))
            {
                connection.Named = true;
                if (TryCount(connection.Tarpit, source.Address) is not { } counted)
                {
                    Close(slot, now, "max_clients_per_ip of the client its proxy named");
                    return;
                }

                connection.CountAs(counted, source.Port);
            }
        }

        OpenSession(slot, now);
    }

    void ISessionRecorder.NameClient(ForwardingFields? fields)
    {
        ref var connection = ref _table[Current()];
        var tarpit = connection.Tarpit;
        var fromTrusted = tarpit.IsTrustedProxy(connection.RemoteAddress);
        if (!fromTrusted || connection.Named)
        {
            if (fields is { IsEmpty: false } && !connection.Named)
            {
                // Anyone can send these fields; only a trusted proxy is believed.
                EngineLog.ForwardingIgnored(_log, connection.Id, connection.RemoteAddress, tarpit.Name, "the peer is not a trusted proxy", Escaped(fields));
            }

            return;
        }

        connection.Named = true;
        if (fields is null || fields.IsEmpty)
        {
            return; // published with the proxy itself, which detection never bans
        }

        var outcome = ForwardedClient.Resolve(fields.Forwarded, fields.XForwardedFor, fields.XRealIp, tarpit.IsTrustedProxy);
        if (outcome.Problem is { } problem)
        {
            EngineLog.ForwardingMalformed(_log, connection.Id, connection.RemoteAddress, tarpit.Name, problem, Escaped(fields));
        }

        if (fields.TargetPort is not null)
        {
            if (ForwardedClient.TryTargetPort(fields.TargetPort, out var port))
            {
                connection.OriginalPort = port;
            }
            else
            {
                EngineLog.ForwardingMalformed(_log, connection.Id, connection.RemoteAddress, tarpit.Name, "X-Tarpit-Target-Port: not a port 1-65535", Escaped(fields));
            }
        }

        if (outcome.Client is not { } client || tarpit.IsTrustedProxy(client))
        {
            return;
        }

        EngineLog.ProxyNamedClient(_log, connection.Id, connection.RemoteAddress, client, tarpit.Name, outcome.Field!);
        connection.SetRemote(Networks.Unmap(client), 0);
        if (TryCount(tarpit, connection.RemoteAddress) is { } counted)
        {
            connection.CountAs(counted, 0);
        }
        else
        {
            connection.RefusedAtNaming = true;
        }
    }

    private static string Escaped(ForwardingFields fields) => AttackerText.Escape(
        $"Forwarded={fields.Forwarded} X-Forwarded-For={fields.XForwardedFor} X-Real-IP={fields.XRealIp} X-Tarpit-Target-Port={fields.TargetPort}");
}
