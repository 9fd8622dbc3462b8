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

    /// <summary>
    /// As nft and the kernel do (measured with nft 1.0.6): adding a network that overlaps another network element
    /// fails the whole batch with "interval overlaps with an existing one". Addresses (hash sets) never conflict.
    /// </summary>
    public bool RefuseNestedIntervals { get; init; }

    /// <summary>Targets nft will not take: a batch that holds one fails as a whole, as nft's batches do.</summary>
    public HashSet<IPNetwork> Refused { get; } = [];

    /// <summary>Every <see cref="ApplyAsync"/> call, applied or failed: the nft runs it would have cost.</summary>
    public int ApplyCalls { get; private set; }

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
            ApplyCalls++;
            FailIfAsked();
            if (changes.FirstOrDefault(c => Refused.Contains(c.Target)) is { } refused)
            {
                throw new FirewallException($"'nft -f -' failed with exit code 1: Error: Could not process rule: Invalid argument ({refused.Target})");
            }

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
        if (RefuseNestedIntervals)
        {
            CheckIntervals(changes);
        }

        Batches.Add(changes);
        foreach (var change in changes)
        {
            if (change.Kind is FirewallChangeKind.Add or FirewallChangeKind.Create)
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

    public T Read<T>(Func<FakeFirewall, T> read)
    {
        lock (_gate)
        {
            return read(this);
        }
    }

    private void CheckIntervals(IReadOnlyList<FirewallChange> changes)
    {
        var after = new HashSet<IPNetwork>(Elements.Keys);
        foreach (var change in changes)
        {
            if (change.Kind == FirewallChangeKind.Remove)
            {
                after.Remove(change.Target);
                continue;
            }

            var isNet = !Tarpit.Net.Networks.IsHost(change.Target);
            if (isNet && after.Any(e => e != change.Target && !Tarpit.Net.Networks.IsHost(e) && Tarpit.Net.Networks.Overlap(e, change.Target)))
            {
                throw new FirewallException($"'nft -f -' failed with exit code 1: Error: interval overlaps with an existing one ({change.Target})");
            }

            after.Add(change.Target);
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
