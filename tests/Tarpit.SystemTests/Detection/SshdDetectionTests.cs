using System.Net;
using System.Net.Sockets;
using CliWrap;
using Serilog.Core;
using Tarpit.Config;
using Tarpit.Detection;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.Tests.Detection;

namespace Tarpit.SystemTests.Detection;

/// <summary>
/// A real sshd (private config, host key in a temp dir, loopback high port, <c>sshd -E LOGFILE</c>) and a real ssh client
/// failing to log in as a user that does not exist, judged by the real DetectionService following the real log.
/// </summary>
public sealed class SshdDetectionTests
{
    private const int MaxRetry = 3;

    [SystemFact(true, "/usr/sbin/sshd", "ssh", "ssh-keygen")]
    public async Task Repeated_failed_logins_against_a_real_sshd_lead_to_one_ban_of_the_attacker()
    {
        Prerequisites.Require(true, "/usr/sbin/sshd", "ssh", "ssh-keygen");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var directory = Directory.CreateTempSubdirectory("tarpit-sshd-").FullName;
        using var stopSshd = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        using var stopDetection = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        Task? sshd = null;
        Task? detection = null;
        try
        {
            // Arrange: sshd on a free loopback port, logging to a file; detection following that file.
            var logFile = Path.Combine(directory, "sshd.log");
            var port = FreeLoopbackPort();
            sshd = await StartSshdAsync(directory, logFile, port, stopSshd.Token);
            var bans = new RecordingBanService(); // an empty allowlist: 127.0.0.1 may be banned here
            var watch = new WatchConfig("ssh-test", "sshd", null, logFile, null, MaxRetry, TimeSpan.FromMinutes(10));
            var config = new ConfigFile(Path.Combine(directory, "tarpit.toml"), AgentConfig.Defaults(directory), FirewallConfig.Defaults with { Allow = [] }, [], [watch], GeoIpConfig.Off);
            var service = new DetectionService(config, bans, Logger.None, TimeProvider.System);
            detection = service.RunAsync(stopDetection.Token);

            // Act: max_retry logins as a user that does not exist.
            for (var i = 0; i < MaxRetry; i++)
            {
                await FailLoginAsync(port, cts.Token);
            }

            await bans.WaitAsync(cts.Token);

            // Assert
            var request = Assert.Single(bans.Requests);
            Assert.Equal(IPNetwork.Parse("127.0.0.1/32"), request.Target);
            Assert.Equal("ssh-test", request.Source);
            Assert.Contains("nosuchuser", request.Reason, StringComparison.Ordinal);
        }
        finally
        {
            await stopDetection.CancelAsync();
            await stopSshd.CancelAsync();
            await Settle(detection);
            await Settle(sshd);
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<Task> StartSshdAsync(string directory, string logFile, int port, CancellationToken cancellationToken)
    {
        var hostKey = Path.Combine(directory, "host_ed25519");
        await Cli.Wrap("ssh-keygen").WithArguments(["-q", "-t", "ed25519", "-N", "", "-f", hostKey]).ExecuteAsync(cancellationToken);
        var sshdConfig = Path.Combine(directory, "sshd_config");
        await File.WriteAllLinesAsync(
            sshdConfig,
            [$"Port {port}", "ListenAddress 127.0.0.1", $"HostKey {hostKey}", "PidFile none", "UsePAM no", "StrictModes no", "LogLevel INFO"],
            cancellationToken);
        Directory.CreateDirectory("/run/sshd"); // the privilege separation directory Debian's sshd insists on
        var sshd = Cli.Wrap("/usr/sbin/sshd")
            .WithArguments(["-D", "-E", logFile, "-f", sshdConfig])
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken)
            .Task;

        while (!(File.Exists(logFile) && (await File.ReadAllTextAsync(logFile, cancellationToken)).Contains("Server listening", StringComparison.Ordinal)))
        {
            Assert.False(sshd.IsCompleted, "sshd exited before listening: " + (File.Exists(logFile) ? await File.ReadAllTextAsync(logFile, cancellationToken) : "no log"));
            await Task.Delay(100, cancellationToken);
        }

        return sshd;
    }

    private static async Task FailLoginAsync(int port, CancellationToken cancellationToken)
    {
        var result = await Cli.Wrap("ssh")
            .WithArguments(["-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10", "nosuchuser@127.0.0.1", "true"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken);
        Assert.NotEqual(0, result.ExitCode);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task Settle(Task? task)
    {
        if (task is not null)
        {
            try
            {
                await task;
            }
            catch (OperationCanceledException)
            {
                // stopped on purpose
            }
        }
    }
}
