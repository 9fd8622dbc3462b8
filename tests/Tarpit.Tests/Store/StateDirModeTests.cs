using System.Runtime.Versioning;
using Serilog.Events;
using Tarpit.Agent.Hosting;
using Tarpit.Config;
using Tarpit.Store;

namespace Tarpit.Tests.Store;

/// <summary>The state dir holds what clients typed (fake-auth credentials): 0700, every file in it 0600, whoever creates it.</summary>
[SupportedOSPlatform("linux")]
public sealed class StateDirModeTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDir = Private | UnixFileMode.UserExecute;
    private const UnixFileMode Wide = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode WideDir = PrivateDir | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [Fact]
    public void A_daemon_style_open_creates_the_dir_0700_and_the_event_file_database_wal_and_shm_0600()
    {
        using var dir = new TempStateDir();
        var logFile = Path.Combine(dir.Path, "events.jsonl");

        using (var log = AgentLogging.Create(new AgentConfig(dir.Path, logFile, LogEventLevel.Information)))
        {
            log.Information("tarpit-agent {Version} starting", "test");
            using var store = BanStore.Open(dir.Path);

            AssertPrivate(dir.Path, ["events.jsonl", "tarpit.db", "tarpit.db-shm", "tarpit.db-wal"]);
        }

        // Closing the last connection checkpoints and removes -wal and -shm.
        AssertPrivate(dir.Path, ["events.jsonl", "tarpit.db"]);
    }

    [Fact]
    public void A_verb_style_open_creates_the_dir_0700_and_the_database_wal_and_shm_0600()
    {
        using var dir = new TempStateDir();

        using var store = BanStore.Open(dir.Path);

        AssertPrivate(dir.Path, ["tarpit.db", "tarpit.db-shm", "tarpit.db-wal"]);
    }

    [Fact]
    public void An_existing_state_dir_and_files_open_to_others_are_tightened_and_each_change_is_reported_once()
    {
        using var dir = new TempStateDir();
        Directory.CreateDirectory(dir.Path, WideDir);
        File.SetUnixFileMode(dir.Path, WideDir);
        using (BanStore.Open(dir.Path))
        {
        }

        File.SetUnixFileMode(dir.Path, WideDir);
        foreach (var file in Directory.GetFiles(dir.Path).Append(Path.Combine(dir.Path, "events.jsonl")))
        {
            File.WriteAllBytes(file, File.Exists(file) ? File.ReadAllBytes(file) : []);
            File.SetUnixFileMode(file, Wide);
        }

        using var store = BanStore.Open(dir.Path);
        using var again = BanStore.Open(dir.Path);

        AssertPrivate(dir.Path, ["events.jsonl", "tarpit.db", "tarpit.db-shm", "tarpit.db-wal"]);
        Assert.Contains(store.ModeChanges, c => c.StartsWith($"'{dir.Path}' from 0755 to 0700", StringComparison.Ordinal));
        Assert.Contains(store.ModeChanges, c => c.StartsWith($"'{Path.Combine(dir.Path, "events.jsonl")}' from 0644 to 0600", StringComparison.Ordinal));
        Assert.Empty(again.ModeChanges);
    }

    [Fact]
    public void An_event_file_outside_the_state_dir_and_its_new_folder_are_private_too()
    {
        using var dir = new TempStateDir();
        var logFile = Path.Combine(dir.Parent, "logs", "events.jsonl");

        using (var log = AgentLogging.Create(new AgentConfig(dir.Path, logFile, LogEventLevel.Information)))
        {
            log.Information("tarpit-agent {Version} starting", "test");
        }

        Assert.Equal(PrivateDir, File.GetUnixFileMode(Path.GetDirectoryName(logFile)!));
        Assert.Equal(Private, File.GetUnixFileMode(logFile));
    }

    private static void AssertPrivate(string stateDir, string[] expected)
    {
        Assert.Equal(PrivateDir, File.GetUnixFileMode(stateDir));
        var files = Directory.GetFiles(stateDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, files);
        Assert.All(Directory.GetFiles(stateDir), f => Assert.True(File.GetUnixFileMode(f) == Private, $"{f} is {File.GetUnixFileMode(f)}"));
    }
}
