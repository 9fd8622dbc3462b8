namespace Tarpit.Crowdsec;

/// <summary>The decision stream of a LAPI (<see cref="LapiClient"/>); the bouncer's one seam, so its logic is tested without HTTP.</summary>
internal interface ILapiDecisions
{
    /// <summary>
    /// <c>GET /v1/decisions/stream</c>: with <paramref name="startup"/> every decision in force, else the changes
    /// since this bouncer's last pull, handed to <paramref name="sink"/> as they are read (its flushes run while the
    /// answer is being read). True when a list was cut to <see cref="DecisionStreamReader.MaxDecisionsPerList"/>.
    /// Throws <see cref="LapiException"/> when the LAPI cannot be reached, refuses, or sends what is not a stream.
    /// </summary>
    Task<bool> PullAsync(bool startup, IDecisionSink sink, CancellationToken cancellationToken);
}
