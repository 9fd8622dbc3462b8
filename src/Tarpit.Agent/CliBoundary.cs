using System.CommandLine;
using Serilog;
using Tarpit.Config;

namespace Tarpit.Agent;

/// <summary>
/// The one error boundary every verb runs through (CliFx's <c>CommandLineApplication</c> is the model): an operator
/// error (<see cref="OperatorException"/>) prints one sentence and returns its code, an invalid config prints every
/// diagnostic and returns <see cref="ExitCodes.Config"/>, an interrupted verb returns <see cref="ExitCodes.Interrupted"/>,
/// and anything else is a bug: reported once, in full, with a sentence saying so, and <see cref="ExitCodes.Software"/>.
/// Verbs report on stderr; the daemon, once its log is open, reports into that log (journal and event file).
/// </summary>
internal static class CliBoundary
{
    /// <summary>Sets <paramref name="action"/> as the verb's action, run through the boundary, reporting on the invocation's stderr.</summary>
    public static void SetAction(Command command, Func<ParseResult, CancellationToken, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(action);
        var verb = VerbName(command);
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(verb, parseResult.InvocationConfiguration.Error, token => action(parseResult, token), cancellationToken));
    }

    /// <summary>Runs a verb through the boundary, reporting on <paramref name="error"/>.</summary>
    public static Task<int> RunAsync(string verb, TextWriter error, Func<CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        return RunAsync(
            action,
            sentence => error.WriteLine(sentence),
            (sentence, bug) => error.WriteLine(sentence + Environment.NewLine + bug),
            verb,
            cancellationToken);
    }

    /// <summary>Runs the daemon's work through the boundary, reporting into its log.</summary>
    public static Task<int> RunAsync(string verb, ILogger log, Func<CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        return RunAsync(
            action,
            sentence => AgentLog.OperatorError(log, sentence),
            (sentence, bug) => AgentLog.Bug(log, bug, sentence),
            verb,
            cancellationToken);
    }

    /// <summary>A synchronous verb (<c>check</c>, <c>test-filter</c>) through the boundary, reporting on <paramref name="error"/>.</summary>
    public static int Run(string verb, TextWriter error, Func<int> action) =>
        RunAsync(verb, error, _ => Task.FromResult(action()), CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The sentence that leads a bug report: it is ours, not the operator's, and where it goes.</summary>
    internal static string BugSentence(string verb) =>
        $"tarpit-agent {verb}: unexpected error: this is a bug in tarpit-agent {AgentCli.Version}, not in your config or input. " +
        "Please report it to the Tarpit issue tracker with the details below and the command line that caused it.";

    private static async Task<int> RunAsync(
        Func<CancellationToken, Task<int>> action,
        Action<string> reportOperatorError,
        Action<string, Exception> reportBug,
        string verb,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return await action(cancellationToken);
        }
        catch (ConfigException ex)
        {
            // Every diagnostic as it is (FILE:LINE:COLUMN: error: …): editors and scripts parse these lines.
            reportOperatorError(ex.Message);
            return ExitCodes.Config;
        }
        catch (OperatorException ex)
        {
            reportOperatorError($"tarpit-agent {verb}: {ex.Message}");
            return ex.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reportOperatorError($"tarpit-agent {verb}: interrupted before it finished.");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex)
        {
            reportBug(BugSentence(verb), ex);
            return ExitCodes.Software;
        }
    }

    /// <summary>The root command is the daemon's default verb.</summary>
    private static string VerbName(Command command) => command is RootCommand ? "run" : command.Name;
}
