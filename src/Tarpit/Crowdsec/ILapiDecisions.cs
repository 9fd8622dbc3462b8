namespace Tarpit.Crowdsec;

/// <summary>The decision stream of a LAPI (<see cref="LapiClient"/>); the bouncer's one seam, so its logic is tested without HTTP.</summary>
internal interface ILapiDecisions
{
    /// <summary>
    /// <c>GET /v1/decisions/stream</c>: with <paramref name="startup"/> every decision in force, else the changes
    /// since this bouncer's last pull. Throws <see cref="LapiException"/> when the LAPI cannot be reached or refuses.
    /// </summary>
    Task<LapiDecisionStream> PullAsync(bool startup, CancellationToken cancellationToken);
}
