namespace Tarpit.Tarpits;

/// <summary>What the engine does with a connection after sending a Step's output.</summary>
internal enum SessionStepKind
{
    /// <summary>Call Step again after <see cref="SessionStep.Delay"/>; the socket is not read meanwhile.</summary>
    After,

    /// <summary>Call Step when the client sends bytes, or when <see cref="SessionStep.Delay"/> has passed.</summary>
    AwaitInput,

    /// <summary>Close now.</summary>
    Close,

    /// <summary>Close after <see cref="SessionStep.Delay"/>, with no further Step.</summary>
    CloseAfter,
}
