using System.CommandLine;
using Tarpit.Config;

namespace Tarpit.Agent.Commands;

/// <summary><c>tarpit-agent check [--config FILE]</c>: validate a config and print what it means.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        var command = new Command(
            "check",
            "Validate the config and print the effective config (defaults filled in, paths absolute) as TOML. " +
            "Exits 0 when valid; prints every problem as FILE:LINE:COLUMN: error: … and exits 78 otherwise.")
        {
            config,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = parseResult.GetValue(config) ?? AgentCli.DefaultConfigPath;
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            return Task.FromResult(Run(path, output, error));
        });
        return command;
    }

    /// <summary>Checks the config at <paramref name="path"/>: the effective config and "PATH: OK" on success, every diagnostic otherwise.</summary>
    public static int Run(string path, TextWriter output, TextWriter error)
    {
        ConfigFile loaded;
        try
        {
            loaded = ConfigLoader.Load(path);
        }
        catch (ConfigException ex)
        {
            error.WriteLine(ex.Message);

            return ConfigException.ExitCode;
        }

        foreach (var note in loaded.Notes)
        {
            // Notes go to stderr with the errors, so stdout stays the effective config, valid TOML.
            error.WriteLine(note);
        }

        output.Write(ConfigPrinter.Render(loaded));
        output.WriteLine();
        output.WriteLine($"{path}: OK");
        return 0;
    }
}
