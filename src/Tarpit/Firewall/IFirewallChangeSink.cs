namespace Tarpit.Firewall;

/// <summary>Where the ban service sends offender changes: the daemon's batching queue, or the CLI's batcher.</summary>
internal interface IFirewallChangeSink
{
    /// <summary>Queues a change; it reaches the kernel with the next flush.</summary>
    ValueTask SubmitAsync(FirewallChange change, CancellationToken cancellationToken);
}
