using System.CommandLine;
using System.Text.Json;
using Tarpit.Agent.Control;
using Tarpit.Config;

namespace Tarpit.Agent.Commands;

/// <summary>
/// <c>tarpit-agent sessions [--json] [--watch]</c>: every connection the running daemon holds right now, asked over
/// its control socket (the engine copies them on its scheduler thread once per request). <c>--watch</c> redraws the
/// table in place like <c>top</c> until Ctrl-C, which exits <see cref="ExitCodes.Ok"/>. No daemon:
/// <see cref="ExitCodes.NotRunning"/>.
/// </summary>
internal static partial class SessionsCommand
{
    /// <summary>The shortest refresh <c>--watch</c> accepts: one request a second is nothing for the daemon.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var config = ConfigOption.Create();
        var json = new Option<bool>("--json") { Description = "Print a JSON array for scripts (snake_case fields: address, port, tarpit, protocol, mode, since, held_seconds, bytes_sent, verified, first_bytes, redirected, original_port, proxy (the trusted proxy it came through, null when direct or redirected), country_code, asn, as_organization)" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Redraw the table in place every --interval until Ctrl-C (exits 0)" };
        var interval = new Option<string>("--interval") { Description = "Refresh period for --watch (default 2s, at least 1s)", DefaultValueFactory = _ => "2s" };
        var command = new Command("sessions", "Show every connection the running agent holds now: address, country/AS, tarpit and mode, since when, bytes sent, what it sent first, direct, redirected or via a trusted proxy.")
        {
            json, watch, interval, config,
        };
        CliBoundary.SetAction(command, (parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(config) ?? AgentCli.DefaultConfigPath,
            parseResult.GetValue(json),
            parseResult.GetValue(watch) ? ParseInterval(parseResult.GetValue(interval)) : null,
            parseResult.InvocationConfiguration.Output,
            cancellationToken));
        return command;
    }

    /// <summary>The <c>--interval</c> value, or <see cref="OperatorException"/> with <see cref="ExitCodes.Usage"/>.</summary>
    public static TimeSpan ParseInterval(string? text)
    {
        if (!DurationSyntax.TryParse(text, out var interval) || interval < MinInterval)
        {
            throw new OperatorException(
                $"--interval '{Text.AttackerText.Escape(text ?? "", 32)}' is not a refresh period: give a duration of at least 1s, e.g. --interval 5s",
                ExitCodes.Usage);
        }

        return interval;
    }

    public static async Task<int> RunAsync(string configPath, bool json, TimeSpan? watch, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var loaded = ConfigLoader.Load(configPath);
        var socket = ControlSocket.PathIn(loaded.Agent.StateDir);
        if (watch is not { } every)
        {
            return await PrintOnceAsync(socket, json, output, cancellationToken);
        }

        try
        {
            while (true)
            {
                var held = await AskAsync(socket, cancellationToken);
                var (width, height) = TerminalSize();
                await output.WriteAsync("\u001b[H\u001b[2J");
                if (held is null)
                {
                    await output.WriteLineAsync($"tarpit-agent is not running (nothing answers on {socket}); retrying every {DurationSyntax.Format(every)}, Ctrl-C to quit");
                }
                else
                {
                    await output.WriteLineAsync($"{DateTimeOffset.Now:HH:mm:ss}  {held.Count} connection(s) held; every {DurationSyntax.Format(every)}, Ctrl-C to quit");
                    Write(output, held, width, maxRows: Math.Max(1, height - 4));
                }

                await output.FlushAsync(cancellationToken);
                await Task.Delay(every, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C is how --watch ends.
            return ExitCodes.Ok;
        }
    }

    private static async Task<int> PrintOnceAsync(string socket, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        var held = await AskAsync(socket, cancellationToken);
        if (held is null)
        {
            await output.WriteLineAsync($"tarpit-agent is not running (nothing answers on {socket})");
            return ExitCodes.NotRunning;
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(held.ToList(), ControlJson.Default.ListSessionReport));
        }
        else
        {
            Write(output, held, TerminalSize().Width, maxRows: int.MaxValue);
        }

        return ExitCodes.Ok;
    }

    private static async Task<IReadOnlyList<SessionReport>?> AskAsync(string socket, CancellationToken cancellationToken)
    {
        var reply = await ControlClient.AskAsync(socket, new ControlRequest(ControlRequest.Sessions), cancellationToken);
        if (reply is null)
        {
            return null;
        }

        return reply.Sessions ?? throw new OperatorException($"the agent refused the request: {Text.AttackerText.Escape(reply.Error ?? "no sessions in the reply", 200)}", ExitCodes.Failure);
    }

    private static (int Width, int Height) TerminalSize() =>
        Console.IsOutputRedirected ? (Listing.BanTable.RedirectedWidth, int.MaxValue) : (Math.Max(Console.WindowWidth, 40), Math.Max(Console.WindowHeight, 10));
}
