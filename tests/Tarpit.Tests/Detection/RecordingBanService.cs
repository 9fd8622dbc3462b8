using System.Collections.Concurrent;
using System.Net;
using Tarpit.Bans;

namespace Tarpit.Tests.Detection;

/// <summary>A hand-written ban service: records every request and refresh; the allowlist is what the test gives it.</summary>
internal sealed class RecordingBanService(params IPNetwork[] allow) : IBanService
{
    private readonly System.Threading.Channels.Channel<bool> _calls = System.Threading.Channels.Channel.CreateUnbounded<bool>();

    public ConcurrentQueue<BanRequest> Requests { get; } = new();

    public ConcurrentQueue<IPAddress> Refreshes { get; } = new();

    /// <summary>The size of each <see cref="BanAllAsync"/> call, in order.</summary>
    public ConcurrentQueue<int> Batches { get; } = new();

    public bool IsAllowed(IPAddress address) => allow.Any(n => n.Contains(address));

    public Task<BanOutcome> BanAsync(BanRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        _calls.Writer.TryWrite(true);
        return Task.FromResult(new BanOutcome(true, "banned " + request.Target, null, Requests.Count));
    }

    public async Task<IReadOnlyList<BanOutcome>> BanAllAsync(IReadOnlyList<BanRequest> requests, CancellationToken cancellationToken)
    {
        Batches.Enqueue(requests.Count);
        var outcomes = new List<BanOutcome>();
        foreach (var request in requests)
        {
            outcomes.Add(await BanAsync(request, cancellationToken));
        }

        return outcomes;
    }

    public Task<bool> RefreshAsync(IPAddress address, CancellationToken cancellationToken)
    {
        Refreshes.Enqueue(address);
        _calls.Writer.TryWrite(true);
        return Task.FromResult(true);
    }

    /// <summary>Waits for the next request or refresh.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken) => await _calls.Reader.ReadAsync(cancellationToken);
}
