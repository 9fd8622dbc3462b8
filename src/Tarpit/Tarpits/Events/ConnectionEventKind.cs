namespace Tarpit.Tarpits.Events;

/// <summary>The life of a tarpit connection.</summary>
internal enum ConnectionEventKind
{
    /// <summary>Accepted and scheduled.</summary>
    Opened,

    /// <summary>The client proved to be the protocol's client (or stayed silent and was shown the banner).</summary>
    Verified,

    /// <summary>A protocol finding worth recording on its own, e.g. credentials offered to <c>fake-auth</c>.</summary>
    Observed,

    /// <summary>Gone: peer closed, reset, or the agent shut down.</summary>
    Closed,
}
