namespace Tarpit.Crowdsec;

/// <summary>
/// Where <see cref="DecisionStreamReader"/> hands the decisions of one answer as it reads them, so an answer of
/// 100,000 decisions is never held whole: each is checked and filtered at once, and what is kept is applied in
/// bounded batches (<see cref="Full"/>, <see cref="FlushAsync"/>) while the rest of the body is still on the wire.
/// </summary>
internal interface IDecisionSink
{
    /// <summary>One decision of the <c>new</c> list, or of <c>deleted</c>; the object is reused for the next one, so keep what it holds, not it.</summary>
    void Add(LapiDecision decision, bool deleted);

    /// <summary>True when what was added should be applied before the reader goes on.</summary>
    bool Full { get; }

    /// <summary>Applies what was added since the last flush.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
