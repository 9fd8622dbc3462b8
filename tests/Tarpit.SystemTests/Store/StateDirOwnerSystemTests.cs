using System.Text;
using CliWrap;
using Tarpit.Store;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Store;

/// <summary>
/// fail2ban runs <c>tarpit-agent ban</c> as root while the daemon runs as the <c>tarpit</c> user that owns the state
/// dir: root must not leave a store file there that the daemon cannot write.
/// </summary>
public sealed class StateDirOwnerSystemTests
{
    [SystemFact(true, "dotnet", "chown", "stat")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_root_run_ban_leaves_the_database_and_its_wal_and_shm_owned_by_the_state_dir_owner()
    {
        Prerequisites.Require(true, "dotnet", "chown", "stat");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var root = Directory.CreateTempSubdirectory("tarpit-owner-");
        try
        {
            // Root opens the store as the dir's owner, who must reach it, as the daemon reaches its own state dir.
            File.SetUnixFileMode(root.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            var stateDir = Directory.CreateDirectory(Path.Combine(root.FullName, "state")).FullName;
            await RunAsync("chown", ["nobody:nogroup", stateDir], cts.Token);
            var config = Path.Combine(root.FullName, "tarpit.toml");
            await File.WriteAllTextAsync(config, $"""
                [agent]
                state_dir = "{stateDir}"
                log_file = ""

                [firewall]
                enabled = false
                """, cts.Token);

            var (code, output) = await AgentProcess.RunAsync(["ban", "192.0.2.9", "--for", "1h", "--config", config], cancellationToken: cts.Token);
            Assert.True(code == 0, output);

            // Hold the store open (as root, as the daemon would hold it) so that the -wal and -shm files exist while
            // a second root-run ban writes through them.
            using var held = BanStore.Open(stateDir).Connect();
            (code, output) = await AgentProcess.RunAsync(["ban", "192.0.2.10", "--for", "1h", "--config", config], cancellationToken: cts.Token);
            Assert.True(code == 0, output);

            var files = Directory.GetFiles(stateDir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal([BanStore.FileName, BanStore.FileName + "-shm", BanStore.FileName + "-wal"], files);
            foreach (var file in files)
            {
                var owner = await RunAsync("stat", ["-c", "%U:%G", Path.Combine(stateDir, file)], cts.Token);
                Assert.True(owner.Trim() == "nobody:nogroup", $"{file} is owned by {owner.Trim()}");
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static async Task<string> RunAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var output = new StringBuilder();
        var result = await Cli.Wrap(tool)
            .WithArguments(arguments)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken);
        Assert.True(result.ExitCode == 0, $"{tool} failed ({result.ExitCode}): {output}");
        return output.ToString();
    }
}
