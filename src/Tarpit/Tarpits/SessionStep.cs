namespace Tarpit.Tarpits;

/// <summary>What to do after sending <c>Output[..Written]</c>.</summary>
internal readonly record struct SessionStep
{
    private SessionStep(SessionStepKind kind, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        Kind = kind;
        Delay = delay;
    }

    /// <summary>Send now, close after nothing more.</summary>
    public static SessionStep Close { get; } = new(SessionStepKind.Close, TimeSpan.Zero);

    public SessionStepKind Kind { get; }

    /// <summary>The wait of <see cref="SessionStepKind.After"/> and <see cref="SessionStepKind.CloseAfter"/>, the deadline of <see cref="SessionStepKind.AwaitInput"/>.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Call Step again after <paramref name="delay"/>.</summary>
    public static SessionStep After(TimeSpan delay) => new(SessionStepKind.After, delay);

    /// <summary>
    /// Call Step as soon as the client sends bytes (the engine polls non-blocking with a short backoff, 10 ms doubling
    /// to 200 ms), or when <paramref name="deadline"/> passes (<see cref="SessionContext.InputTimedOut"/> is then true).
    /// </summary>
    public static SessionStep AwaitInput(TimeSpan deadline) => new(SessionStepKind.AwaitInput, deadline);

    /// <summary>Send now, close after <paramref name="delay"/> (e.g. garbage, then a 400).</summary>
    public static SessionStep CloseAfter(TimeSpan delay) => new(SessionStepKind.CloseAfter, delay);
}
