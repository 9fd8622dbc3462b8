using Tarpit.SystemTests.Infrastructure;
using Tarpit.Tarpits.Events;

namespace Tarpit.SystemTests.Tarpits.Ssh;

/// <summary>
/// Issue 20 (acceptance): the bot libraries and password guessers Debian ships, each run at once against kex-hold,
/// a verifying endless-banner and Debian's endlessh at the same short interval (1 s) for a bounded window; "killed
/// while still running at the end of the window" is a hold.
/// </summary>
public sealed class SshBotClientSystemTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>20 intervals: hydra's own connect deadline (~32 s) is past it.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Go reads at most 255 bytes of preamble, which endlessh's random 3-32-byte lines (mean 17.5) fill in ~15
    /// intervals; the 19-20 lines of a 20 s window stay under 255 bytes in about 1 run of 50-150 (a CI run saw it),
    /// the ~29 of a 30 s window (mean ~507 bytes, over 5 standard deviations above 255) practically never.
    /// </summary>
    private static readonly TimeSpan GoWindow = TimeSpan.FromSeconds(30);

    [SystemFact(false, GoSshClient.Go, GoSshClient.XCryptoSsh, Endlessh.Tool)]
    public async Task Go_x_crypto_ssh_is_held_by_both_modes_where_endlessh_loses_it_to_its_preamble_cap()
    {
        Prerequisites.Require(false, GoSshClient.Go, GoSshClient.XCryptoSsh, Endlessh.Tool);
        await using var servers = await Servers.StartAsync();

        var results = await servers.RunAsync((port, _) => GoSshClient.RunAsync(port, GoWindow));

        Assert.True(results.KexHold.KilledWhileRunning, "Go ended on kex-hold:\n" + results.KexHold.Output);
        Assert.True(results.EndlessBanner.KilledWhileRunning, "Go ended on endless-banner:\n" + results.EndlessBanner.Output);
        Assert.DoesNotContain(GoSshClient.GaveUp, results.KexHold.Output + results.EndlessBanner.Output, StringComparison.Ordinal);
        Assert.False(results.Endlessh.KilledWhileRunning, "Go was still held by endlessh:\n" + results.Endlessh.Output);
        Assert.Contains("overflow reading version string", results.Endlessh.Output, StringComparison.Ordinal);
        servers.AssertVerifiedOnEndlessBanner("SSH-2.0-Go");
    }

    [SystemFact(false, "hydra", Endlessh.Tool)]
    public async Task Hydra_is_held_by_both_modes_as_by_endlessh()
    {
        Prerequisites.Require(false, "hydra", Endlessh.Tool);
        await using var servers = await Servers.StartAsync();

        var results = await servers.RunAsync((port, directory) => ExternalTool.RunAsync(
            "hydra", ["-I", "-l", "root", "-p", "toor", "-t", "1", "-s", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1", "ssh"], Window, directory));

        foreach (var (name, result) in results.All)
        {
            Assert.True(result.KilledWhileRunning, $"hydra ended on {name}:\n{result.Output}");
            Assert.Contains("[DATA] attacking ssh://127.0.0.1:", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("[ERROR]", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("valid password", result.Output, StringComparison.Ordinal);
        }

        servers.AssertVerifiedOnEndlessBanner("SSH-2.0-libssh");
    }

    [SystemFact(false, "ncrack", Endlessh.Tool)]
    public async Task Ncrack_is_held_by_both_modes_as_by_endlessh()
    {
        Prerequisites.Require(false, "ncrack", Endlessh.Tool);
        await using var servers = await Servers.StartAsync();

        var results = await servers.RunAsync((port, directory) => ExternalTool.RunAsync(
            "ncrack", ["--user", "root", "--pass", "toor", $"ssh://127.0.0.1:{port}"], Window, directory));

        foreach (var (name, result) in results.All)
        {
            Assert.True(result.KilledWhileRunning, $"ncrack ended on {name}:\n{result.Output}");
            Assert.DoesNotContain("Ncrack done", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Discovered credentials", result.Output, StringComparison.Ordinal);
        }

        // ncrack waits for the server's banner before it speaks: verification shows it after the probe delay and holds it.
        servers.AssertVerifiedOnEndlessBanner(identificationStart: null);
    }

    private sealed record Results(
        (bool KilledWhileRunning, string Output) KexHold,
        (bool KilledWhileRunning, string Output) EndlessBanner,
        (bool KilledWhileRunning, string Output) Endlessh)
    {
        public IEnumerable<(string Name, (bool KilledWhileRunning, string Output) Result)> All =>
            [("kex-hold", KexHold), ("endless-banner", EndlessBanner), ("endlessh", Endlessh)];
    }

    /// <summary>The two tarpits (reference modes, 1 s interval) and endlessh (1 s delay), each with a private working directory for its client.</summary>
    private sealed class Servers : IAsyncDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tarpit-ssh-bots-");

        private Servers(SshTarpitUnderTest kexHold, SshTarpitUnderTest endlessBanner, Endlessh endlessh)
        {
            KexHold = kexHold;
            EndlessBanner = endlessBanner;
            Endlessh = endlessh;
        }

        public SshTarpitUnderTest KexHold { get; }

        public SshTarpitUnderTest EndlessBanner { get; }

        public Endlessh Endlessh { get; }

        public static async Task<Servers> StartAsync()
        {
            var kexHold = await SshTarpitUnderTest.StartAsync(SshTarpitUnderTest.Config("kex-hold", verifyClient: true, Interval));
            var endlessBanner = await SshTarpitUnderTest.StartAsync(SshTarpitUnderTest.Config("endless-banner", verifyClient: true, Interval));
            return new Servers(kexHold, endlessBanner, await Endlessh.StartAsync(Interval));
        }

        /// <summary>Runs the client against the three servers at once, each in its own directory.</summary>
        public async Task<Results> RunAsync(Func<int, string, Task<(bool, string)>> client)
        {
            var runs = new[] { KexHold.Port, EndlessBanner.Port, Endlessh.Port }
                .Select(port => client(port, _directory.CreateSubdirectory(port.ToString(System.Globalization.CultureInfo.InvariantCulture)).FullName))
                .ToArray();
            var results = await Task.WhenAll(runs);
            return new Results(results[0], results[1], results[2]);
        }

        /// <summary>
        /// endless-banner's verification saw the client speak first with this software (and handed it to the kex hold),
        /// or, for null, saw it stay silent.
        /// </summary>
        public void AssertVerifiedOnEndlessBanner(string? identificationStart)
        {
            var verified = EndlessBanner.OfKind(ConnectionEventKind.Verified);
            Assert.NotEmpty(verified);
            Assert.All(verified, v =>
            {
                if (identificationStart is null)
                {
                    Assert.True(string.IsNullOrEmpty(v.FirstBytes), "the client spoke first: " + v.FirstBytes);
                }
                else
                {
                    Assert.StartsWith(identificationStart, v.FirstBytes, StringComparison.Ordinal);
                }
            });
        }

        public async ValueTask DisposeAsync()
        {
            await KexHold.DisposeAsync();
            await EndlessBanner.DisposeAsync();
            await Endlessh.DisposeAsync();
            _directory.Delete(recursive: true);
        }
    }
}
