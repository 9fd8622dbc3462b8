using System.Net;
using System.Net.Sockets;
using Serilog;
using Tarpit.Linux;
using Tarpit.Net;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// One bound listening socket of a tarpit and its accept loop. The loop takes a client slot before it accepts, so at
/// <c>max_clients</c> new clients wait in the kernel backlog instead of being accepted and dropped.
/// </summary>
internal sealed class TarpitListener : IDisposable
{
    /// <summary>Pending connections the kernel queues for us (capped by net.core.somaxconn); they wait there at max_clients.</summary>
    public const int ListenBacklog = 1024;

    /// <summary>
    /// SO_RCVBUF and SO_SNDBUF asked for: the kernel raises it to its minimum (socket(7): SOCK_MIN_RCVBUF, about
    /// 2.3 KiB, and SOCK_MIN_SNDBUF, about 4.6 KiB), as endlessh and tarssh do. Set on the listener, the receive
    /// buffer is inherited by every accepted socket and already sizes the window of the handshake, so a client that
    /// keeps sending pins a few KiB of kernel memory, not the ~128 KiB of the default autotuned buffer.
    /// </summary>
    public const int MinimalSocketBuffer = 1;

    private readonly Socket _socket;
    private readonly ILogger _log;
    private readonly TimeProvider _timeProvider;

    private TarpitListener(Socket socket, TarpitRuntime tarpit, IPEndPoint endpoint, ILogger log, TimeProvider timeProvider)
    {
        _socket = socket;
        _log = log;
        _timeProvider = timeProvider;
        Tarpit = tarpit;
        Endpoint = endpoint;
    }

    /// <summary>The tarpit its clients go to; a reload that changes the tarpit's settings swaps it while the loop is stopped.</summary>
    public TarpitRuntime Tarpit { get; set; }

    /// <summary>The bound address (with the real port when the config asked for port 0).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Binds and listens; an OperatorException names the tarpit, the address and the OS error.</summary>
    public static TarpitListener Bind(TarpitRuntime tarpit, IPEndPoint endpoint, ILogger log, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(tarpit);
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                // [::] takes IPv4 clients too, as v4-mapped addresses (reported as plain IPv4).
                socket.DualMode = true;
            }

            // A restarted agent must not fail on connections of its previous run lingering in TIME_WAIT.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.ReceiveBufferSize = MinimalSocketBuffer;
            socket.Bind(endpoint);
            socket.Listen(ListenBacklog);
            return new TarpitListener(socket, tarpit, (IPEndPoint)socket.LocalEndPoint!, log, timeProvider);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new OperatorException(
                $"Tarpit '{tarpit.Name}' cannot listen on {endpoint}: {ex.Message} ({ex.SocketErrorCode}). {HintFor(ex.SocketErrorCode, endpoint)}",
                ex);
        }
    }

    /// <summary>Accepts until cancelled and hands each client to the scheduler. Returns on cancellation.</summary>
    public async Task AcceptLoopAsync(TarpitScheduler scheduler, CancellationToken cancellationToken)
    {
        var backoff = new AcceptBackoff();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Tarpit.Slots.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                var client = await _socket.AcceptAsync(cancellationToken);
                if (backoff.Succeed())
                {
                    EngineLog.AcceptsAgain(_log, Tarpit.Name, Endpoint);
                }

                if (Describe(client) is { } accepted)
                {
                    scheduler.Enqueue(accepted);
                }
                else
                {
                    Tarpit.Slots.Release();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Tarpit.Slots.Release();
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                Tarpit.Slots.Release();
                var (delay, startsEpisode) = backoff.Fail();
                if (startsEpisode)
                {
                    EngineLog.CannotAccept(_log, Tarpit.Name, Endpoint, ex.SocketErrorCode, (long)AcceptBackoff.Max.TotalMilliseconds);
                }

                if (!await DelayAsync(delay, cancellationToken))
                {
                    return;
                }
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                // The client gave up between the handshake and accept: nothing to hold.
                Tarpit.Slots.Release();
            }
            catch (Exception ex)
            {
                Tarpit.Slots.Release();
                EngineLog.AcceptFailed(_log, ex, Tarpit.Name, Endpoint);
                if (!await DelayAsync(backoff.Fail().Delay, cancellationToken))
                {
                    return;
                }
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    private AcceptedConnection? Describe(Socket client)
    {
        IPEndPoint remote;
        int descriptor;
        try
        {
            remote = (IPEndPoint)client.RemoteEndPoint!;
            descriptor = SocketDescriptor.TakeOver(client);
        }
        catch (SocketException ex)
        {
            // Reset before we looked at it (ENOTCONN): the normal case for a scanner.
            EngineLog.GoneAtAccept(_log, Tarpit.Name, Endpoint, ex.SocketErrorCode);
            client.Dispose();
            return null;
        }

        try
        {
            // An accepted socket's local port is the listener's.
            var localPort = Endpoint.Port;
            var originalPort = OriginalDestination.PortOf(descriptor, remote.Address, localPort);
            if (Tarpit.Protocol == "ssh")
            {
                // SSH holds send a line or one KEXINIT at a time: a minimal send buffer never slows them, and a client
                // that stops reading pins no more of ours. HTTP and TLS keep the default: a bomb or flight streams.
                SocketDescriptor.SetSendBuffer(descriptor, MinimalSocketBuffer);
            }

            if (remote.Address.IsIPv4MappedToIPv6)
            {
                remote = new IPEndPoint(Networks.Unmap(remote.Address), remote.Port);
            }

            return new AcceptedConnection(descriptor, Tarpit, remote, localPort, originalPort, Tarpit.IsTrustedProxy(remote.Address));
        }
        catch (SocketException ex)
        {
            EngineLog.GoneAtAccept(_log, Tarpit.Name, Endpoint, ex.SocketErrorCode);
            SocketDescriptor.Close(descriptor);
            return null;
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _timeProvider, cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static string HintFor(SocketError error, IPEndPoint endpoint) => error switch
    {
        SocketError.AddressAlreadyInUse =>
            $"Another process already listens on port {endpoint.Port} (see `ss -ltnp`); stop it or choose another port in this tarpit's listen.",
        SocketError.AccessDenied when endpoint.Port < 1024 =>
            $"Port {endpoint.Port} is below 1024: run the agent as root or with CAP_NET_BIND_SERVICE, or choose a port of 1024 or more.",
        SocketError.AddressNotAvailable =>
            $"{endpoint.Address} is not an address of this host; use one it has (see `ip addr`), 0.0.0.0 or [::].",
        _ => "Check this tarpit's listen addresses.",
    };
}
