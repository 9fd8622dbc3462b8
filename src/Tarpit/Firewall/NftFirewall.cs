using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using CliWrap;
using Tarpit.Config;

namespace Tarpit.Firewall;

/// <summary>
/// The agent's table in nftables, driven through <c>nft -f -</c> batches (atomic; the batch goes in on stdin) and
/// read back with <c>nft -j</c>. Established flows of banned sources are cut by the table itself (its
/// <c>cut_established</c> chain), so a ban costs one nft call and no conntrack process.
/// </summary>
internal sealed partial class NftFirewall(FirewallConfig firewall, IReadOnlyList<TarpitConfig> tarpits) : IFirewall
{
    /// <summary>Times every batch when the daemon exports metrics; null for the verbs.</summary>
    public Metrics.AgentMetrics? Metrics { get; set; }

    public Task EnsureTableAsync(CancellationToken cancellationToken) =>
        RunBatchAsync(RulesetRenderer.Render(firewall, tarpits), cancellationToken);

    public async Task ApplyAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var batch in NftBatch.Split(changes))
        {
            await RunCreatingAsync(batch, cancellationToken);
        }
    }

    /// <summary>A batch with new bans as a <c>create</c> first (<see cref="NftBatch.RenderCreate"/>), the replacing form when one is there already.</summary>
    private async Task RunCreatingAsync(IReadOnlyList<FirewallChange> batch, CancellationToken cancellationToken)
    {
        if (NftBatch.RenderCreate(firewall.Table, batch) is not { } create)
        {
            await RunBatchAsync(NftBatch.Render(firewall.Table, batch), cancellationToken);
            return;
        }

        var (exitCode, stderr) = await TryRunBatchAsync(create, cancellationToken);
        if (exitCode != 0 && IsRefusedCreate(stderr))
        {
            await RunBatchAsync(NftBatch.Render(firewall.Table, batch), cancellationToken);
        }
        else if (exitCode != 0)
        {
            throw Failed(firewall.Nft, BatchArgs, exitCode, stderr);
        }
    }

    /// <summary>
    /// A verb's one call: the changes alone when the table is there (the daemon keeps its definition current; nft
    /// parses a few lines instead of the whole table, 3 ms instead of 15), new bans as a <c>create</c> first
    /// (<see cref="NftBatch.RenderCreate"/>) and the replacing batch only when one exists, and only when nft says the
    /// table or a set is missing, the table definition and the changes in one batch.
    /// </summary>
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

        var first = NftBatch.Render(firewall.Table, batches[0]);
        var create = NftBatch.RenderCreate(firewall.Table, batches[0]);
        var (exitCode, stderr) = await TryRunBatchAsync(create ?? first, cancellationToken);
        if (exitCode != 0 && create is not null && IsRefusedCreate(stderr))
        {
            // One of the targets is in the set already: replace its timeout the slow way.
            (exitCode, stderr) = await TryRunBatchAsync(first, cancellationToken);
        }

        if (exitCode != 0 && IsMissing(stderr))
        {
            // The table definition is idempotent and keeps the offender sets' elements, so it can lead the first batch.
            await RunBatchAsync(table + first, cancellationToken);
        }
        else if (exitCode != 0)
        {
            throw Failed(firewall.Nft, BatchArgs, exitCode, stderr);
        }

        foreach (var batch in batches.Skip(1))
        {
            await RunCreatingAsync(batch, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<FirewallElement>?> ReadOffendersAsync(CancellationToken cancellationToken)
    {
        string[] args = ["-j", "list", "table", NftNames.Family, firewall.Table];
        var (exitCode, stdout, stderr) = await RunAsync(firewall.Nft, args, null, cancellationToken);
        if (exitCode != 0 && IsMissing(stderr))
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

    private static readonly string[] BatchArgs = ["-f", "-"];

    private async Task RunBatchAsync(string batch, CancellationToken cancellationToken)
    {
        var (exitCode, stderr) = await TryRunBatchAsync(batch, cancellationToken);
        if (exitCode != 0)
        {
            throw Failed(firewall.Nft, BatchArgs, exitCode, stderr);
        }
    }

    private async Task<(int ExitCode, string Stderr)> TryRunBatchAsync(string batch, CancellationToken cancellationToken)
    {
        if (Metrics is not { } metrics)
        {
            var (exitCode, _, stderr) = await RunAsync(firewall.Nft, BatchArgs, batch, cancellationToken);
            return (exitCode, stderr);
        }

        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            var (exitCode, _, stderr) = await RunAsync(firewall.Nft, BatchArgs, batch, cancellationToken);
            failed = exitCode != 0;
            return (exitCode, stderr);
        }
        finally
        {
            metrics.NftBatch(Stopwatch.GetElapsedTime(started), failed);
        }
    }

    /// <summary>
    /// What nft says when a <c>create element</c> names elements already in the set: "File exists" for a few, and
    /// "No buffer space available" for thousands (nft 1.0.6; 2,000 of 100,000 already there: "File exists", 3,000 of
    /// 100,000 or 4,000 of 5,000: ENOBUFS, measured), as the kernel answers each refused netlink message with an error
    /// that carries the message, and those overflow nft's receive buffer. Either way the kernel applied nothing (a
    /// batch is one transaction), and the replacing form (<see cref="NftBatch.Render"/>) goes next: a batch refused for
    /// another reason fails again there and is reported with what nft said then.
    /// </summary>
    private static bool IsRefusedCreate(string stderr) =>
        stderr.Contains("File exists", StringComparison.Ordinal) || stderr.Contains("No buffer space available", StringComparison.Ordinal);

    /// <summary>What nft says when a batch names a table or set that does not exist.</summary>
    private static bool IsMissing(string stderr) => stderr.Contains("No such file or directory", StringComparison.Ordinal);

    private static FirewallException Failed(string tool, string[] args, int exitCode, string stderr)
    {
        var hint = stderr.Contains("Operation not permitted", StringComparison.Ordinal)
            ? " The agent needs root (or CAP_NET_ADMIN) to change the ruleset."
            : "";
        return new FirewallException(
            $"'{tool} {string.Join(' ', args)}' failed with exit code {exitCode}: {FirstLines(stderr)}.{hint}")
        {
            TableMissing = IsMissing(stderr),
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
