using System.Net;
using Tarpit.Firewall;

namespace Tarpit.Tests.Firewall;

/// <summary>A firewall in memory: the offender elements, the batches applied, and failures on demand.</summary>
internal sealed class FakeFirewall : IFirewall
{
    private readonly Lock _gate = new();

    public Dictionary<IPNetwork, TimeSpan?> Elements { get; } = [];

    public List<IReadOnlyList<FirewallChange>> Batches { get; } = [];

    public bool TableExists { get; private set; }

    /// <summary>Calls that fail before the firewall works (nft missing, say).</summary>
    public int FailuresLeft { get; set; }

    public int Cuts { get; private set; }

    /// <summary>As nft: a batch into a missing table fails with "No such file or directory" (off by default).</summary>
    public bool StrictTable { get; set; }

    public Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            FailIfAsked();
            TableExists = true;
        }

        return Task.CompletedTask;
    }

    public Task EnsureTableAndApplyAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            FailIfAsked();
            TableExists = true;
            if (changes.Count > 0)
            {
                Record(changes);
            }
        }

        return Task.CompletedTask;
    }

    public Task ApplyAsync(IReadOnlyList<FirewallChange> changes, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            FailIfAsked();
            if (StrictTable && !TableExists)
            {
                throw new FirewallException("'nft -f -' failed with exit code 1: Error: No such file or directory.") { TableMissing = true };
            }

            Record(changes);
        }

        return Task.CompletedTask;
    }

    private void Record(IReadOnlyList<FirewallChange> changes)
    {
        Batches.Add(changes);
        foreach (var change in changes)
        {
            if (change.Kind == FirewallChangeKind.Add)
            {
                Elements[change.Target] = change.Timeout;
            }
            else if (change.Kind == FirewallChangeKind.Ensure)
            {
                Elements.TryAdd(change.Target, change.Timeout);
            }
            else
            {
                Elements.Remove(change.Target);
            }
        }
    }

    public Task<IReadOnlyList<FirewallElement>?> ReadOffendersAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            FailIfAsked();
            return Task.FromResult<IReadOnlyList<FirewallElement>?>(
                TableExists ? [.. Elements.Select(e => new FirewallElement(e.Key, e.Value, e.Value))] : null);
        }
    }

    public Task RemoveTableAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            TableExists = false;
            Elements.Clear();
        }

        return Task.CompletedTask;
    }

    /// <summary>What <c>nft flush ruleset</c> does to the agent: table and elements gone.</summary>
    public void FlushRuleset()
    {
        lock (_gate)
        {
            TableExists = false;
            Elements.Clear();
        }
    }

    public Task CutEstablishedAsync(IPNetwork target, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Cuts++;
        }

        return Task.CompletedTask;
    }

    public T Read<T>(Func<FakeFirewall, T> read)
    {
        lock (_gate)
        {
            return read(this);
        }
    }

    private void FailIfAsked()
    {
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            throw new FirewallException("Cannot run 'nft -f -': No such file or directory.");
        }
    }
}
