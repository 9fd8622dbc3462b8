using System.ComponentModel;
using System.Text.Json;
using CliWrap;
using CliWrap.EventStream;
using Serilog;
using Tarpit.Config;

namespace Tarpit.Firewall;

/// <summary>
/// Follows <c>nft -j monitor destroy</c> (one JSON object per deletion in the ruleset) through CliWrap's event stream
/// and reports every deletion of the agent's table, or of a set or chain in it, that nobody in the agent asked for: an
/// <c>nft flush ruleset</c> (the first line of Debian's <c>/etc/nftables.conf</c>, so every
/// <c>systemctl reload nftables</c>) or a <c>nft delete table</c>. The agent's own batches delete elements (a timeout
/// is replaced by delete and add) and flush its chain (which deletes the rules' anonymous sets, <c>__map0</c>) and allow
/// sets, but never delete a named set, the chain or the table while it runs, so those are the signal. A monitor that exits is started again after a pause.
/// </summary>
internal sealed class NftMonitor(FirewallConfig firewall, TimeProvider time, ILogger log)
{
    /// <summary>The first pause before following again after nft monitor exited; it doubles up to <see cref="MaxRestartDelay"/>.</summary>
    public static readonly TimeSpan FirstRestartDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxRestartDelay = TimeSpan.FromMinutes(1);

    /// <summary>Follows the ruleset until cancelled, calling <paramref name="removed"/> with what was removed ("table inet tarpit").</summary>
    public async Task RunAsync(Action<string> removed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(removed);
        var delay = FirstRestartDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            string error;
            try
            {
                var command = Cli.Wrap(firewall.Nft)
                    .WithArguments(["-j", "monitor", "destroy"])
                    .WithValidation(CommandResultValidation.None);
                var lastError = "";
                var exitCode = 0;
                await foreach (var commandEvent in command.ListenAsync(cancellationToken))
                {
                    switch (commandEvent)
                    {
                        case StandardOutputCommandEvent output when Removal(output.Text, firewall.Table) is { } what:
                            removed(what);
                            break;
                        case StandardOutputCommandEvent:
                            delay = FirstRestartDelay;
                            break;
                        case StandardErrorCommandEvent stderr:
                            lastError = stderr.Text;
                            break;
                        case ExitedCommandEvent exited:
                            exitCode = exited.ExitCode;
                            break;
                    }
                }

                error = $"'{firewall.Nft} -j monitor destroy' exited with code {exitCode}{(lastError.Length > 0 ? ": " + lastError : "")}";
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Win32Exception ex)
            {
                error = $"cannot run '{firewall.Nft}': {ex.Message}";
            }

            FirewallLog.MonitorFailed(log, error, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRestartDelay.Ticks));
        }
    }

    /// <summary>
    /// What one line of <c>nft -j monitor destroy</c> says was removed of <paramref name="table"/>: "table inet tarpit",
    /// "set offenders_v4", "chain prerouting"; null for anything else (elements, rules, other tables, other output).
    /// </summary>
    public static string? Removal(string line, string table)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !(document.RootElement.TryGetProperty("delete", out var deleted) || document.RootElement.TryGetProperty("destroy", out deleted))
                || deleted.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var kind in (string[])["table", "set", "chain"])
            {
                if (!deleted.TryGetProperty(kind, out var item) || item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("family", out var family) || family.GetString() != NftNames.Family)
                {
                    continue;
                }

                var tableName = kind == "table" ? "name" : "table";
                if (!item.TryGetProperty(tableName, out var name) || name.GetString() != table)
                {
                    continue;
                }

                if (kind == "table")
                {
                    return $"table {NftNames.Family} {table} deleted";
                }

                // An anonymous set (__map0, __set0) goes with its rule: the agent's own "flush chain" deletes them.
                var own = item.TryGetProperty("name", out var named) ? named.GetString() ?? "" : "";
                return own.StartsWith("__", StringComparison.Ordinal) ? null : $"{kind} {own} deleted";
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
