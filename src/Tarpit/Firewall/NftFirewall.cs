using System.ComponentModel;
using System.Text;
using CliWrap;
using Serilog;
using Tarpit.Config;

namespace Tarpit.Firewall;

/// <summary>
/// The agent's table in nftables, driven through <c>nft -f -</c> batches (atomic; the batch goes in on stdin) and
/// read back with <c>nft -j</c>. Established flows are cut with <c>conntrack -D</c>.
/// </summary>
internal sealed partial class NftFirewall(FirewallConfig firewall, IReadOnlyList<TarpitConfig> tarpits, ILogger log) : IFirewall
{
    /// <summary>The conntrack tool; <c>cut_established</c> uses it.</summary>
    public const string Conntrack = "conntrack";

    public Task EnsureTableAsync(CancellationToken cancellationToken) =>
        RunBatchAsync(RulesetRenderer.Render(firewall, tarpits), cancellationToken);

    public async Task ApplyAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var batch in NftBatch.Split(changes))
        {
            await RunBatchAsync(NftBatch.Render(firewall.Table, batch), cancellationToken);
        }
    }

    public async Task EnsureTableAndApplyAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var table = RulesetRenderer.Render(firewall, tarpits);
        var batches = NftBatch.Split(changes);
        if (batches.Count == 0)
        {
            await RunBatchAsync(table, cancellationToken);
            return;
        }

        // The table definition is idempotent and keeps the offender sets' elements, so it can lead the first batch.
        await RunBatchAsync(table + NftBatch.Render(firewall.Table, batches[0]), cancellationToken);
        foreach (var batch in batches.Skip(1))
        {
            await RunBatchAsync(NftBatch.Render(firewall.Table, batch), cancellationToken);
        }
    }

    public async Task<IReadOnlyList<FirewallElement>?> ReadOffendersAsync(CancellationToken cancellationToken)
    {
        string[] args = ["-j", "list", "table", NftNames.Family, firewall.Table];
        var (exitCode, stdout, stderr) = await RunAsync(firewall.Nft, args, null, cancellationToken);
        if (exitCode != 0 && stderr.Contains("No such file or directory", StringComparison.Ordinal))
        {
            return null;
        }

        if (exitCode != 0)
        {
            throw Failed(firewall.Nft, args, exitCode, stderr);
        }

        try
        {
            return NftJson.ParseOffenders(stdout);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException)
        {
            throw new FirewallException($"'{firewall.Nft} {string.Join(' ', args)}' printed JSON the agent cannot read: {ex.Message}", ex);
        }
    }

    public Task RemoveTableAsync(CancellationToken cancellationToken)
    {
        var table = $"{NftNames.Family} {firewall.Table}";
        return RunBatchAsync($"add table {table}\ndelete table {table}\n", cancellationToken);
    }

    private async Task RunBatchAsync(string batch, CancellationToken cancellationToken)
    {
        string[] args = ["-f", "-"];
        var (exitCode, _, stderr) = await RunAsync(firewall.Nft, args, batch, cancellationToken);
        if (exitCode != 0)
        {
            throw Failed(firewall.Nft, args, exitCode, stderr);
        }
    }

    private static FirewallException Failed(string tool, string[] args, int exitCode, string stderr)
    {
        var hint = stderr.Contains("Operation not permitted", StringComparison.Ordinal)
            ? " The agent needs root (or CAP_NET_ADMIN) to change the ruleset."
            : "";
        return new FirewallException(
            $"'{tool} {string.Join(' ', args)}' failed with exit code {exitCode}: {FirstLines(stderr)}.{hint}")
        {
            TableMissing = stderr.Contains("No such file or directory", StringComparison.Ordinal),
        };
    }

    private static string FirstLines(string text)
    {
        const int MaxLength = 600;
        var trimmed = text.Trim().ReplaceLineEndings(" | ");
        return trimmed.Length == 0 ? "(no message)" : trimmed.Length <= MaxLength ? trimmed : trimmed[..MaxLength] + "…";
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string tool, string[] args, string? stdin, CancellationToken cancellationToken)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var command = Cli.Wrap(tool)
            .WithArguments(args)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .WithValidation(CommandResultValidation.None);
        if (stdin is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(stdin));
        }

        try
        {
            var result = await command.ExecuteAsync(cancellationToken);
            return (result.ExitCode, stdout.ToString(), stderr.ToString());
        }
        catch (Win32Exception ex)
        {
            throw new FirewallException(
                $"Cannot run '{tool} {string.Join(' ', args)}': {ex.Message}. Install nftables (apt-get install nftables) or set firewall.nft to the nft binary's path.",
                ex);
        }
    }
}
