namespace Tarpit.Tarpits.Engine;

/// <summary>What the scheduler does when a held connection is due.</summary>
internal enum HeldConnectionPhase : byte
{
    /// <summary>Call Step (the session asked for After).</summary>
    Waiting,

    /// <summary>Poll the socket; Step on bytes, end of stream closes, the input deadline Steps with InputTimedOut.</summary>
    AwaitingInput,

    /// <summary>Close (the session asked for CloseAfter).</summary>
    Closing,

    /// <summary>Peek for the PROXY header of a trusted proxy (poll backoff, then its deadline); no session yet.</summary>
    ReadingProxyHeader,

    /// <summary>Closed already (the client left between two of its turns): its queue entry is skipped.</summary>
    Closed,
}
