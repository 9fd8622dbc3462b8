using CliWrap;
using CliWrap.Buffered;

namespace Tarpit.SystemTests.Infrastructure;

/// <summary>
/// The Native AOT <c>tarpit-agent</c> that README's Install section builds, for tests of what only the trimmed native
/// binary can get wrong (reflection the trimmer removed). <c>$TARPIT_AGENT</c> when set (bench/run's convention);
/// otherwise published once per test run into a temporary directory, which takes a few minutes and needs gcc.
/// <see cref="AgentProcess"/> runs the JIT build next to the tests instead.
/// </summary>
internal static class AotAgent
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    /// <summary>The checkout these tests were built from: the first parent directory holding Tarpit.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Tarpit.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"no Tarpit.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>The path of the native binary; the first call may publish it.</summary>
    public static Task<string> PathAsync(CancellationToken cancellationToken) =>
        Published.Value.WaitAsync(cancellationToken);

    /// <summary>Runs a short verb of the native binary to completion: exit code, standard output, standard error.</summary>
    public static async Task<BufferedCommandResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var agent = await PathAsync(cancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        return await Cli.Wrap(agent)
            .WithArguments(arguments)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cts.Token);
    }

    private static async Task<string> PublishAsync()
    {
        if (Environment.GetEnvironmentVariable("TARPIT_AGENT") is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : throw new InvalidOperationException($"TARPIT_AGENT={given} does not exist");
        }

        var output = Directory.CreateTempSubdirectory("tarpit-aot-agent-").FullName;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var result = await Cli.Wrap("dotnet")
            .WithArguments(["publish", "src/Tarpit.Agent", "-c", "Release", "-r", "linux-x64", "-o", output, "--nologo", "-v", "quiet"])
            .WithWorkingDirectory(RepositoryRoot)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cts.Token);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish of the Native AOT agent failed (exit {result.ExitCode}):\n{result.StandardOutput}{result.StandardError}");
        }

        return Path.Combine(output, "tarpit-agent");
    }
}
