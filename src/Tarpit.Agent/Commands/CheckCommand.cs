using System.CommandLine;
using Tarpit.Config;

namespace Tarpit.Agent.Commands;

/// <summary><c>tarpit-agent check [--config FILE]</c>: validate a config and print what it means.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        var quiet = new Option<bool>("--quiet", "-q")
        {
            Description = "Print nothing when the config is valid (for systemd's ExecStartPre); notes and errors are printed as without it",
        };
        var command = new Command(
            "check",
            "Validate the config and print the effective config (defaults filled in, paths absolute) as TOML. " +
            $"Exits {ExitCodes.Ok} when valid; prints every problem as FILE:LINE:COLUMN: error: … and exits {ExitCodes.Config} otherwise.")
        {
            config, quiet,
        };
        CliBoundary.SetAction(command, (parseResult, _) => Task.FromResult(Check(
            parseResult.GetValue(config) ?? AgentCli.DefaultConfigPath,
            parseResult.GetValue(quiet),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error)));
        return command;
    }

    /// <summary>
    /// Checks the config at <paramref name="path"/> through the boundary: the effective config and "PATH: OK" on
    /// success (nothing with <paramref name="quiet"/>), every diagnostic and <see cref="ExitCodes.Config"/> otherwise.
    /// </summary>
    public static int Run(string path, TextWriter output, TextWriter error, bool quiet = false) =>
        CliBoundary.Run("check", error, () => Check(path, quiet, output, error));

    /// <summary>Prints the effective config and "PATH: OK"; throws <see cref="ConfigException"/> when it is invalid.</summary>
    private static int Check(string path, bool quiet, TextWriter output, TextWriter error)
    {
        var loaded = ConfigLoader.Load(path);
        foreach (var note in loaded.Notes)
        {
            // Notes go to stderr with the errors, so stdout stays the effective config, valid TOML. Kept with --quiet:
            // a note says the file is read differently from how it is written, which the journal should show.
            error.WriteLine(note);
        }

        if (quiet)
        {
            return ExitCodes.Ok;
        }

        output.Write(ConfigPrinter.Render(loaded));
        output.WriteLine();
        output.WriteLine($"{path}: OK");
        return ExitCodes.Ok;
    }
}
