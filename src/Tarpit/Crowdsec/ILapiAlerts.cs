namespace Tarpit.Crowdsec;

/// <summary>The machine side of a LAPI (<see cref="LapiClient"/>): the pusher's one seam.</summary>
internal interface ILapiAlerts
{
    /// <summary>Logs in when needed and posts the alerts; throws <see cref="LapiException"/> when they were not taken.</summary>
    Task PushAsync(IReadOnlyList<LapiAlert> alerts, CancellationToken cancellationToken);
}
