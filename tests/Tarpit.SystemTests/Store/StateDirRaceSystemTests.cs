using System.Diagnostics;
using CliWrap;
using Tarpit.Linux;
using Tarpit.Store;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Store;

/// <summary>
/// Issue 14, item 1: the daemon user owns the state dir, so it can replace <c>tarpit.db</c> with a symbolic link at
/// any moment while a root-run verb opens the store there. Whatever it does, root must not act on the link's target.
/// </summary>
public sealed class StateDirRaceSystemTests
{
    // Bounds of the race: the old chown-by-path lost it on tries 105, 147, 157 and 581 of four runs (about 5 ms a try),
    // so 2,000 tries, or 20 s on a slow machine, make a pass mean something and still finish in seconds.
    private const int Tries = 2000;
    private static readonly TimeSpan RaceTime = TimeSpan.FromSeconds(20);

    // The unprivileged owner of the state dir, as the daemon user: deletes tarpit.db, waits until root creates it
    // again, then renames a symbolic link to the victim over it, forever.
    private const string Attacker = """
        my ($db, $victim) = @ARGV;
        my $swap = "$db.swap";
        while (1) {
            unlink $db;
            1 until lstat $db;
            unlink $swap;
            symlink $victim, $swap;
            rename $swap, $db;
        }
        """;

    [SystemFact(true, "setpriv", "perl", "chown")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_root_opened_store_never_gives_away_a_file_the_state_dir_owner_links_in_its_place()
    {
        Prerequisites.Require(true, "setpriv", "perl", "chown");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var root = Directory.CreateTempSubdirectory("tarpit-race-");
        using var stopAttacker = new CancellationTokenSource();
        CommandTask<CommandResult>? attacker = null;
        try
        {
            // The unprivileged owner must reach its dir; the victim is root's, outside it.
            File.SetUnixFileMode(root.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            var victim = Path.Combine(root.FullName, "victim");
            const string secret = "root's own file, not a database\n";
            await File.WriteAllTextAsync(victim, secret, cts.Token);
            var stateDir = Directory.CreateDirectory(Path.Combine(root.FullName, "state")).FullName;
            await Cli.Wrap("chown").WithArguments(["nobody:nogroup", stateDir]).ExecuteAsync(cts.Token);
            var owner = FileStatus.Of(stateDir)!.Value.Owner;
            Assert.False(owner.IsRoot);

            attacker = Cli.Wrap("setpriv")
                .WithArguments([
                    $"--reuid={owner.UserId}", $"--regid={owner.GroupId}", "--clear-groups", "--",
                    "perl", "-e", Attacker, Path.Combine(stateDir, BanStore.FileName), victim,
                ])
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(stopAttacker.Token);

            var clock = Stopwatch.StartNew();
            int tries = 0, opened = 0, refused = 0;
            FileOwner? given = null;
            while (tries < Tries && clock.Elapsed < RaceTime && given is null)
            {
                tries++;
                try
                {
                    using var store = BanStore.Open(stateDir);
                    opened++;
                }
                catch (OperatorException)
                {
                    refused++;
                }

                var now = FileStatus.Of(victim)!.Value.Owner;
                given = now.IsRoot && now.GroupId == 0 ? null : now;
            }

            Assert.False(attacker.Task.IsCompleted, "the attacker stopped before the race ended");
            Assert.True(given is null, $"the victim was given to uid {given?.UserId} gid {given?.GroupId} on try {tries} ({opened} opened, {refused} refused)");
            Assert.True(refused > 0, $"the attacker never swapped the database in {tries} tries ({opened} opened): the race did not run");
            Assert.Equal(secret, await File.ReadAllTextAsync(victim, cts.Token));
        }
        finally
        {
            await stopAttacker.CancelAsync();
            if (attacker is not null)
            {
                try
                {
                    await attacker;
                }
                catch (OperationCanceledException)
                {
                }
            }

            root.Delete(recursive: true);
        }
    }
}
