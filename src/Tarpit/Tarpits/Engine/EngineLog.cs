using System.Net;
using System.Net.Sockets;
using Serilog;
using Serilog.Events;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// The log lines of the engine (server, listeners, scheduler), each template written once (Kestrel's
/// <c>SocketsLog</c>); <c>{Tarpit} ({Protocol}/{Mode})</c> is one constant, joined at compile time.
/// </summary>
internal static class EngineLog
{
    private const string TarpitMode = "{Tarpit} ({Protocol}/{Mode})";

    public static void Listening(ILogger log, string tarpit, string protocol, string mode, IPEndPoint endpoint) =>
        log.Information("Tarpit " + TarpitMode + " listening on {Endpoint}", tarpit, protocol, mode, endpoint);

    public static void StoppedListening(ILogger log, string tarpit, IPEndPoint endpoint) =>
        log.Information("Tarpit {Tarpit} stopped listening on {Endpoint}; the connections it holds stay until they end", tarpit, endpoint);

    public static void BannerRead(ILogger log, string tarpit, string protocol, int port, string banner) =>
        log.Information(
            "Tarpit {Tarpit} ({Protocol}): banner = \"auto\" shows {Banner}, read from the real service on port {Port}",
            tarpit,
            protocol,
            Text.AttackerText.Escape(banner),
            port);

    public static void KexInitRead(ILogger log, string tarpit, int port, int algorithms) =>
        log.Information(
            "Tarpit {Tarpit} (ssh): banner = \"auto\" also copies the KEXINIT of the real sshd on port {Port} ({Algorithms} algorithm names)",
            tarpit,
            port,
            algorithms);

    /// <summary><paramref name="reason"/> is built safe: whatever the service sent is in it escaped (<see cref="Text.AttackerText"/>).</summary>
    public static void KexInitFallback(ILogger log, string tarpit, int port, string reason) =>
        log.Warning(
            "Tarpit {Tarpit} (ssh): banner = \"auto\" read the banner but not the KEXINIT of the real sshd on port {Port}: {Reason}; showing the built-in Debian 12 algorithm lists, which a scanner may tell from the real ones",
            tarpit,
            port,
            reason);

    /// <summary><paramref name="reason"/> is built safe: whatever the service sent is in it escaped (<see cref="Text.AttackerText"/>).</summary>
    public static void BannerFallback(ILogger log, string tarpit, string protocol, int port, string reason, string? fallback) =>
        log.Warning(
            "Tarpit {Tarpit} ({Protocol}): banner = \"auto\" could not read the real service on port {Port}: {Reason}; showing the built-in {Banner}, which a client may tell from the real one",
            tarpit,
            protocol,
            port,
            reason,
            fallback);

    public static void HostKeysRead(ILogger log, string tarpit, string directory) =>
        log.Information("Tarpit {Tarpit} (ssh): host_keys = \"auto\" shows the real sshd's public host keys from {Directory}", tarpit, directory);

    /// <summary><paramref name="reason"/> is built safe: it quotes at most a key type, escaped (<c>SshPublicKeyLine</c>).</summary>
    public static void HostKeyFileUnusable(ILogger log, string tarpit, string file, string reason) =>
        log.Warning(
            "Tarpit {Tarpit} (ssh): host_keys = \"auto\" cannot use {File}: {Reason}; showing the agent's own key of that type instead, which a client that knows the real one may tell from it",
            tarpit,
            file,
            reason);

    public static void HostKeysOwn(ILogger log, string tarpit, string algorithms, string file) =>
        log.Information("Tarpit {Tarpit} (ssh): shows the agent's own host keys for {Algorithms}, kept in {File}", tarpit, algorithms, file);

    public static void HostKeysMade(ILogger log, string algorithms, string file) =>
        log.Information("Made the agent's own SSH host keys ({Algorithms}, public only) and kept them in {File}; every start shows these", algorithms, file);

    /// <summary><paramref name="reason"/> is built safe: it quotes at most a key type, escaped (<c>SshPublicKeyLine</c>).</summary>
    public static void HostKeyStoreUnusable(ILogger log, string file, string reason) =>
        log.Warning("The agent's own SSH host keys in {File} are not valid: {Reason}; making new ones, so a scanner that saw the old ones sees a change", file, reason);

    public static void HostKeyStoreFailed(ILogger log, string file, string reason) =>
        log.Warning("Cannot keep the agent's own SSH host keys in {File}: {Reason}; showing keys made for this run only, so the next start shows other ones", file, reason);

    public static void Stopping(ILogger log, int held) =>
        log.Information("Tarpits stopping: closing {Held} held connections", held);

    public static void SinksNotDrained(ILogger log, double drainSeconds) =>
        log.Warning("Tarpit event sinks did not drain within {DrainSeconds}s; dropping what is left", drainSeconds);

    public static void AcceptsAgain(ILogger log, string tarpit, IPEndPoint endpoint) =>
        log.Information("Tarpit {Tarpit} on {Endpoint} accepts connections again", tarpit, endpoint);

    public static void CannotAccept(ILogger log, string tarpit, IPEndPoint endpoint, SocketError error, long maxBackoffMs) =>
        log.Warning(
            "Tarpit {Tarpit} on {Endpoint} cannot accept: {Error}; backing off up to {MaxBackoffMs} ms until descriptors free up (raise LimitNOFILE or lower max_clients)",
            tarpit,
            endpoint,
            error,
            maxBackoffMs);

    public static void AcceptFailed(ILogger log, Exception ex, string tarpit, IPEndPoint endpoint) =>
        log.Error(ex, "Tarpit {Tarpit} on {Endpoint}: accept failed", tarpit, endpoint);

    public static void GoneAtAccept(ILogger log, string tarpit, IPEndPoint endpoint, SocketError error) =>
        log.Debug("Tarpit {Tarpit}: client on {Endpoint} was gone at accept ({Error})", tarpit, endpoint, error);

    public static void RefusedPerV6Prefix(ILogger log, IPAddress remote, string tarpit, int count) =>
        log.Debug(
            "Refused {RemoteIP} on {Tarpit}: already holding {Count} connections from its /64 (max_clients_per_v6_64)",
            remote,
            tarpit,
            count);

    public static void BadProxyHeader(ILogger log, long connectionId, IPAddress proxy, string tarpit, string problem) =>
        log.Information("Closed connection {ConnectionId} from trusted proxy {ProxyIP} on {Tarpit}: {Problem}", connectionId, proxy, tarpit, problem);

    public static void ProxyNamedClient(ILogger log, long connectionId, IPAddress proxy, IPAddress client, string tarpit, string field) =>
        log.Debug("Connection {ConnectionId} from trusted proxy {ProxyIP} on {Tarpit} is client {RemoteIP} ({Field})", connectionId, proxy, tarpit, client, field);

    public static void ForwardingIgnored(ILogger log, long connectionId, IPAddress remote, string tarpit, string why, string fields) =>
        log.Debug("Ignored the forwarding fields of connection {ConnectionId} from {RemoteIP} on {Tarpit}: {Reason}: {Fields}", connectionId, remote, tarpit, why, fields);

    public static void ForwardingMalformed(ILogger log, long connectionId, IPAddress proxy, string tarpit, string problem, string fields) =>
        log.Information("Trusted proxy {ProxyIP} sent malformed forwarding fields on connection {ConnectionId} to {Tarpit}, ignored: {Problem}: {Fields}", proxy, connectionId, tarpit, problem, fields);

    public static void RefusedPerAddress(ILogger log, IPAddress remote, string tarpit, int count) =>
        log.Debug(
            "Refused {RemoteIP} on {Tarpit}: already holding {Count} connections from that address (max_clients_per_ip)",
            remote,
            tarpit,
            count);

    public static void OpenFailed(ILogger log, Exception ex, string tarpit, string protocol, string mode, long connectionId, IPAddress remote) =>
        log.Error(ex, "Tarpit " + TarpitMode + " failed to open connection {ConnectionId} from {RemoteIP}", tarpit, protocol, mode, connectionId, remote);

    public static void SessionFailed(ILogger log, Exception ex, string tarpit, string protocol, string mode, long connectionId) =>
        log.Error(ex, "Tarpit " + TarpitMode + " session of connection {ConnectionId} failed", tarpit, protocol, mode, connectionId);

    /// <summary>Once per connection: checked first, so an agent at Information pays no argument array.</summary>
    public static void Closed(ILogger log, long connectionId, IPAddress remote, string tarpit, string reason)
    {
        if (log.IsEnabled(LogEventLevel.Debug))
        {
            log.Debug("Closed connection {ConnectionId} from {RemoteIP} on {Tarpit}: {Reason}", connectionId, remote, tarpit, reason);
        }
    }

    public static void SchedulerPassFailed(ILogger log, Exception ex) =>
        log.Error(ex, "Tarpit scheduler pass failed; retrying shortly");

    public static void SchedulerStopped(ILogger log, Exception ex) =>
        log.Fatal(ex, "Tarpit scheduler stopped unexpectedly");
}
