namespace Tarpit.Tarpits;

/// <summary>Spreads drips so that held connections do not wake in lock-step and do not look machine-timed.</summary>
internal static class Jitter
{
    /// <summary>Uniform in <c><paramref name="interval"/> × [1 − <paramref name="jitter"/>, 1 + <paramref name="jitter"/>]</c>; 0 ≤ jitter &lt; 1.</summary>
    public static TimeSpan Next(TimeSpan interval, double jitter, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        if (jitter is < 0 or >= 1 || double.IsNaN(jitter))
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "Jitter must be at least 0 and below 1.");
        }

        var factor = 1 + (jitter * ((2 * random.NextDouble()) - 1));
        return TimeSpan.FromTicks((long)(interval.Ticks * factor));
    }
}
