using System.Net;
using System.Net.Sockets;
using Serilog;
using Tarpit.Config;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// Resolves <c>banner = "auto"</c> once at start, before the modes are built: it reads what the real service on a
/// tarpit's first redirected port says (the SSH identification string, the HTTP <c>Server</c> header), so a banned
/// client sees the same version before and after the redirect. Every read is bounded in time
/// (<see cref="ModeCatalog.AutoBannerTimeout"/>, connect and read together) and in bytes; the tarpits are read side by
/// side, so start waits at most one timeout. Whatever fails, the built-in banner is used and one Warning says why.
/// </summary>
internal static partial class AutoBanner
{
    /// <summary>The tarpits with every "auto" banner replaced by the real one or the built-in default; never throws on cancellation.</summary>
    public static async Task<IReadOnlyList<TarpitConfig>> ResolveAsync(
        IReadOnlyList<TarpitConfig> tarpits, ILogger log, TimeProvider timeProvider, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tarpits);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var resolved = tarpits.Select(t => IsAuto(t) ? ResolveOneAsync(t, log, timeProvider, timeout, cancellationToken) : Task.FromResult(t));
        return await Task.WhenAll(resolved);
    }

    public static bool IsAuto(TarpitConfig tarpit)
    {
        ArgumentNullException.ThrowIfNull(tarpit);
        return tarpit.Banner == ModeCatalog.AutoBanner && tarpit.Protocol is TarpitProtocol.Ssh or TarpitProtocol.Http;
    }

    /// <summary>Reads the banner of the service on loopback <paramref name="port"/>: the banner, or why there is none.</summary>
    public static async Task<BannerReading> ReadAsync(
        TarpitProtocol protocol, int port, TimeProvider timeProvider, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var socket = await ConnectAsync(port, linked.Token);
            return protocol is TarpitProtocol.Ssh
                ? await ReadSshAsync(socket, linked.Token)
                : await ReadHttpAsync(socket, linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return BannerReading.Failed($"no answer within {timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}s");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return BannerReading.Failed("the agent is stopping");
        }
        catch (SocketException ex)
        {
            return BannerReading.Failed($"{ex.SocketErrorCode} on 127.0.0.1 and [::1]");
        }
    }

    private static async Task<TarpitConfig> ResolveOneAsync(
        TarpitConfig tarpit, ILogger log, TimeProvider timeProvider, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var port = tarpit.RedirectPorts.Count > 0 ? tarpit.RedirectPorts[0] : ModeCatalog.StandardPort(tarpit.Protocol);
        var protocol = ModeCatalog.Name(tarpit.Protocol);
        var reading = await ReadAsync(tarpit.Protocol, port, timeProvider, timeout, cancellationToken);
        if (reading.Banner is { } banner)
        {
            EngineLog.BannerRead(log, tarpit.Name, protocol, port, banner);
            if (tarpit.Protocol is not TarpitProtocol.Ssh)
            {
                return tarpit with { Banner = banner };
            }

            if (reading.KexInitNameLists is { } lists)
            {
                EngineLog.KexInitRead(log, tarpit.Name, port, lists.Sum(l => l.Length == 0 ? 0 : l.Count(c => c == ',') + 1));
            }
            else
            {
                EngineLog.KexInitFallback(log, tarpit.Name, port, reading.KexInitProblem ?? "unknown");
            }

            return tarpit with { Banner = banner, SshKexInitNameLists = reading.KexInitNameLists };
        }

        // ssh: what the installed openssh-server would say, else the built-in Debian 12 one.
        var fallback = (tarpit.Protocol is TarpitProtocol.Ssh ? InstalledSshdBanner() : null) ?? ModeCatalog.DefaultBanner(tarpit.Protocol);
        EngineLog.BannerFallback(log, tarpit.Name, protocol, port, reading.Problem ?? "unknown", fallback);
        return tarpit with { Banner = fallback };
    }

    /// <summary>127.0.0.1 first, then ::1 (a daemon bound to IPv6 only), within the caller's one deadline.</summary>
    private static async Task<Socket> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            return await ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        }
        catch (SocketException)
        {
            return await ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, port), cancellationToken);
        }
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
