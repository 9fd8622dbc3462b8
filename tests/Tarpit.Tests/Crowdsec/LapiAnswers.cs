using System.Text;
using System.Text.Json;
using Tarpit.Crowdsec;

namespace Tarpit.Tests.Crowdsec;

/// <summary>One answer of the decision stream as the tests write it; sent as the LAPI's JSON through the real reader.</summary>
internal sealed class LapiDecisionStream
{
    public List<LapiDecision>? New { get; set; }

    public List<LapiDecision>? Deleted { get; set; }

    /// <summary>The JSON a LAPI sends: <c>deleted</c> first, as CrowdSec's Go struct orders it.</summary>
    public byte[] ToJson() =>
        Encoding.UTF8.GetBytes($"{{\"deleted\":{List(Deleted)},\"new\":{List(New)}}}");

    private static string List(List<LapiDecision>? decisions) =>
        decisions is null ? "null" : JsonSerializer.Serialize(decisions);
}

/// <summary>Keeps a copy of every decision the reader hands over (it reuses its object) and counts the flushes.</summary>
internal sealed class CollectingSink(int batch = int.MaxValue) : IDecisionSink
{
    private int _sinceFlush;

    public List<LapiDecision> New { get; } = [];

    public List<LapiDecision> Deleted { get; } = [];

    public List<int> Flushes { get; } = [];

    public bool Full => _sinceFlush >= batch;

    public void Add(LapiDecision decision, bool deleted)
    {
        var copy = new LapiDecision
        {
            Id = decision.Id,
            Origin = decision.Origin,
            Type = decision.Type,
            Scope = decision.Scope,
            Value = decision.Value,
            Duration = decision.Duration,
            Scenario = decision.Scenario,
            Simulated = decision.Simulated,
        };
        (deleted ? Deleted : New).Add(copy);
        _sinceFlush++;
    }

    public Task FlushAsync(CancellationToken cancellationToken)
    {
        Flushes.Add(_sinceFlush);
        _sinceFlush = 0;
        return Task.CompletedTask;
    }

    /// <summary>Reads <paramref name="json"/> as the LAPI client does; true when a list was cut.</summary>
    public async Task<bool> ReadAsync(byte[] json, long maxBodyBytes = DecisionStreamReader.MaxBodyBytes)
    {
        using var body = new MemoryStream(json);
        return await DecisionStreamReader.ReadAsync(body, this, maxBodyBytes, CancellationToken.None);
    }
}

/// <summary>The LAPI seam: answers queued by the test, or failures as a LAPI that is down.</summary>
internal sealed class ScriptedLapi : ILapiDecisions
{
    public Queue<LapiDecisionStream> Answers { get; } = [];

    public List<bool> Startups { get; } = [];

    public int Failures { get; set; }

    /// <summary>The next answer ends after this many bytes, as a connection lost in the middle of the body.</summary>
    public int? CutAt { get; set; }

    public async Task<bool> PullAsync(bool startup, IDecisionSink sink, CancellationToken cancellationToken)
    {
        Startups.Add(startup);
        if (Failures > 0)
        {
            Failures--;
            throw new LapiException("cannot reach the LAPI at http://127.0.0.1:8080/: Connection refused");
        }

        var answer = Answers.Count > 0 ? Answers.Dequeue() : new LapiDecisionStream();
        var json = answer.ToJson();
        using var body = new MemoryStream(json, 0, CutAt is { } cut ? Math.Min(cut, json.Length) : json.Length);
        CutAt = null;
        return await DecisionStreamReader.ReadAsync(body, sink, DecisionStreamReader.MaxBodyBytes, cancellationToken);
    }
}
