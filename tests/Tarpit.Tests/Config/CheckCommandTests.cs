using Tarpit.Agent;
using Tarpit.Agent.Commands;
using Tarpit.Config;

namespace Tarpit.Tests.Config;

public sealed class CheckCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tarpit-check-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Valid_config_prints_the_effective_config_and_ok_and_exits_0()
    {
        var path = Path.Combine(_dir.FullName, "tarpit.toml");
        File.WriteAllText(path, "[[tarpit]]\nname = \"s\"\nprotocol = \"ssh\"\nlisten = [\"[::]:2222\"]\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = CheckCommand.Run(path, output, error);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error.ToString());
        var text = output.ToString();
        Assert.EndsWith($"{path}: OK{Environment.NewLine}", text, StringComparison.Ordinal);
        var effective = text[..text.LastIndexOf($"{path}: OK", StringComparison.Ordinal)];
        Assert.Equal(ConfigLoader.Load(path), ConfigLoader.Parse(effective, path));
    }

    [Fact]
    public async Task Check_quiet_of_a_valid_config_prints_nothing_and_exits_0()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var path = Path.Combine(_dir.FullName, "tarpit.toml");
        File.WriteAllText(path, "[[tarpit]]\nname = \"s\"\nprotocol = \"ssh\"\nlisten = [\"[::]:2222\"]\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentCli.InvokeAsync(["check", "--quiet", "--config", path], new System.CommandLine.InvocationConfiguration { Output = output, Error = error }, timeout.Token);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, output.ToString());
        Assert.Equal(string.Empty, error.ToString());
    }

    [Fact]
    public void Check_quiet_of_an_invalid_config_prints_every_diagnostic_and_exits_78()
    {
        var path = Path.Combine(_dir.FullName, "bad.toml");
        File.WriteAllText(path, "[firewal]\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = CheckCommand.Run(path, output, error, quiet: true);

        Assert.Equal(78, exitCode);
        Assert.Equal(string.Empty, output.ToString());
        Assert.Equal([$"{path}:1:2: error: unknown table [firewal]; did you mean [firewall]?"], error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Invalid_config_prints_every_diagnostic_to_stderr_and_exits_78()
    {
        var path = Path.Combine(_dir.FullName, "bad.toml");
        File.WriteAllText(path, "[agent]\nlog_level = \"loud\"\n[firewal]\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = CheckCommand.Run(path, output, error);

        Assert.Equal(78, exitCode);
        Assert.Equal(string.Empty, output.ToString());
        Assert.Equal(
            [
                $"{path}:2:13: error: unknown log_level \"loud\"; allowed: verbose, debug, information, warning, error, fatal",
                $"{path}:3:2: error: unknown table [firewal]; did you mean [firewall]?",
            ],
            error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Check_verb_is_registered_and_reads_the_config_option()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var path = Path.Combine(_dir.FullName, "missing.toml");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var parseResult = AgentCli.Build().Parse(["check", "--config", path]);

        var exitCode = await parseResult.InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error }, timeout.Token);

        Assert.Equal(78, exitCode);
        Assert.StartsWith($"{path}:1:1: error: cannot read the config file (the file does not exist)", error.ToString(), StringComparison.Ordinal);
    }
}
