namespace Tarpit.SystemTests.Infrastructure;

/// <summary>
/// Which <c>tarpit-agent</c> a test runs: the JIT build next to the tests (<c>dotnet exec tarpit-agent.dll</c>), or
/// the Native AOT binary README's Install publishes, which <c>tests/run</c> publishes and passes in
/// <c>TARPIT_AGENT_AOT</c> (<see cref="Prerequisites.AotAgent"/>).
/// </summary>
internal sealed record AgentBinary(string Program, IReadOnlyList<string> Prefix)
{
    /// <summary>The JIT build next to the test assembly.</summary>
    public static AgentBinary Jit { get; } = new("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "tarpit-agent.dll")]);

    /// <summary>The published Native AOT binary; throws with the reason (CI's failure) when tests/run did not pass one.</summary>
    public static AgentBinary Aot => new(Prerequisites.RequireAotAgent(), []);

    /// <summary>The command line as one shell word list, for a tool that runs it (fail2ban's <c>tarpit_agent</c>).</summary>
    public string ShellCommand => string.Join(' ', Prefix.Prepend(Program));

    /// <summary><c>PROGRAM PREFIX... ARGS...</c>, inside <paramref name="netns"/> when given.</summary>
    public (string Target, string[] Args) CommandLine(IEnumerable<string> arguments, string? netns)
    {
        var agent = Prefix.Concat(arguments);
        return netns is null
            ? (Program, agent.ToArray())
            : ("ip", new[] { "netns", "exec", netns, Program }.Concat(agent).ToArray());
    }
}
