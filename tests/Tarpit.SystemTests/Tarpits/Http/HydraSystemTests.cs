using System.Globalization;
using Tarpit.Config;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.Tarpits.Events;

namespace Tarpit.SystemTests.Tarpits.Http;

public sealed class HydraSystemTests
{
    /// <summary>timeout(1)'s exit code when it had to stop the command.</summary>
    private const int TimedOut = 124;

    [SystemFact(false, "hydra", "timeout")]
    public async Task Hydra_http_get_is_held_per_attempt_by_fake_auth_and_every_password_it_tries_is_published()
    {
        Prerequisites.Require(false, "hydra", "timeout");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // The 401 head is ~200 bytes: at 4 bytes per 200 ms one attempt takes ~10 s, so 6 s is "still held after 30
        // intervals" while every attempt (one task per password) has sent its credential, with room for hydra's own
        // start on a loaded machine (CI once saw no credential within 4 s of a 100 ms drip).
        await using var tarpit = await TarpitUnderTest.StartAsync(TarpitProtocol.Http, "fake-auth", interval: TimeSpan.FromMilliseconds(200), dripBytes: 4, cancellationToken: timeout.Token);
        var directory = Directory.CreateTempSubdirectory("tarpit-hydra-");
        try
        {
            string[] passwords = ["123456", "pa$$word", "s3cret\u00e9"];
            var list = Path.Combine(directory.FullName, "passwords");
            await File.WriteAllLinesAsync(list, passwords, timeout.Token);

            var result = await TarpitUnderTest.RunAsync(
                "bash",
                ["-c", "cd \"$1\" && exec timeout 6 hydra -I -l admin -P \"$2\" -t 3 -s \"$3\" 127.0.0.1 http-get /", "hydra", directory.FullName, list, tarpit.Port.ToString(CultureInfo.InvariantCulture)],
                timeout.Token);

            Assert.True(result.ExitCode == TimedOut, $"hydra exited {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
            Assert.DoesNotContain("valid password", result.StandardOutput, StringComparison.Ordinal);
            var published = await PublishedPasswordsAsync(tarpit, passwords.Length, timeout.Token);
            Assert.Contains("123456", published);
            Assert.Contains("pa$$word", published);
            Assert.Contains(published, p => p.StartsWith("s3cret", StringComparison.Ordinal) && p != "s3cret\u00e9");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The passwords the tarpit published, once <paramref name="count"/> are in or 10 s passed (events are dispatched off the scheduler thread).</summary>
    private static async Task<HashSet<string>> PublishedPasswordsAsync(TarpitUnderTest tarpit, int count, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var published = tarpit.Events.Where(e => e.Kind == ConnectionEventKind.Observed).Select(e => e.Details?.GetValueOrDefault("auth.password")).OfType<string>().ToHashSet();
            if (published.Count >= count || DateTime.UtcNow >= until)
            {
                return published;
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
