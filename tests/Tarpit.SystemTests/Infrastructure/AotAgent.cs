using CliWrap;
using CliWrap.Buffered;

namespace Tarpit.SystemTests.Infrastructure;

/// <summary>
/// Short verbs of the Native AOT <c>tarpit-agent</c> that README's Install section builds, for tests of what only the
/// trimmed native binary can get wrong (reflection the trimmer removed). The binary is the one <c>tests/run</c>
/// publishes and passes in <c>TARPIT_AGENT_AOT</c> (<see cref="AgentBinary.Aot"/>); tests that use it say
/// <c>NeedsAotAgent = true</c>.
/// </summary>
internal static class AotAgent
{
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

    /// <summary>Runs a short verb of the native binary to completion: exit code, standard output, standard error.</summary>
    public static async Task<BufferedCommandResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var (program, args) = AgentBinary.Aot.CommandLine(arguments, netns: null);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        return await Cli.Wrap(program)
            .WithArguments(args)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cts.Token);
    }
}
