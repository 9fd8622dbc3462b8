using System.CommandLine;
using System.Text.Json;
using Tarpit.Agent.Control;
using Tarpit.Config;

namespace Tarpit.Agent.Commands;

/// <summary>
/// <c>tarpit-agent status [--json]</c>: asks the running daemon over its control socket how it is. Exits
/// <see cref="ExitCodes.Ok"/> when healthy, <see cref="ExitCodes.Degraded"/> with the reasons, and
/// <see cref="ExitCodes.NotRunning"/> when no daemon answers: usable from monitoring scripts.
/// </summary>
internal static partial class StatusCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        var json = new Option<bool>("--json") { Description = "Print the daemon's report as JSON (snake_case fields) for scripts" };
        var command = new Command(
            "status",
            $"Is the agent running and healthy? Version, uptime, firewall mode, table vs store, each watch's health, GeoIP, store. " +
            $"Exits {ExitCodes.Ok} healthy, {ExitCodes.Degraded} degraded (reasons printed), {ExitCodes.NotRunning} not running.")
        {
            json, config,
        };
        CliBoundary.SetAction(command, (parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(config) ?? AgentCli.DefaultConfigPath,
            parseResult.GetValue(json),
            parseResult.InvocationConfiguration.Output,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string configPath, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var loaded = ConfigLoader.Load(configPath);
        var socket = ControlSocket.PathIn(loaded.Agent.StateDir);
        var reply = await ControlClient.AskAsync(socket, new ControlRequest(ControlRequest.Status), cancellationToken);
        if (reply?.Status is not { } status)
        {
            if (reply?.Error is { } error)
            {
                throw new OperatorException($"the agent refused the request: {Text.AttackerText.Escape(error, 200)}", ExitCodes.Failure);
            }

            await output.WriteLineAsync(json
                ? $"{{\"running\": false, \"control_socket\": {JsonSerializer.Serialize(socket, ControlJson.Default.String)}}}"
                : $"tarpit-agent is not running (nothing answers on {socket})");
            return ExitCodes.NotRunning;
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(status, ControlJson.Default.StatusReport));
        }
        else
        {
            Write(output, status, TimeProvider.System.GetUtcNow());
        }

        return status.Problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Degraded;
    }
}
