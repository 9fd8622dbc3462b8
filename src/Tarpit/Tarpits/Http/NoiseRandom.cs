namespace Tarpit.Tarpits.Http;

/// <summary>
/// A reseedable random source (SplitMix64) so a generated line can be regenerated from a 32-bit seed when the kernel
/// accepted only part of it (a client that stopped reading): the session keeps the seed, not the bytes. One per mode,
/// used on the scheduler thread only.
/// </summary>
internal sealed class NoiseRandom : Random
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    private ulong _state;

    public NoiseRandom Reseed(int seed)
    {
        _state = ((ulong)(uint)seed * Golden) ^ 0xD1B54A32D192ED03UL;
        return this;
    }

    public override int Next() => (int)(NextUInt64() >> 33);

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)(((NextUInt64() >> 32) * (ulong)maxValue) >> 32);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return minValue + (int)(((NextUInt64() >> 32) * (ulong)(uint)(maxValue - minValue)) >> 32);
    }

    public override long NextInt64() => (long)(NextUInt64() >> 1);

    public override long NextInt64(long maxValue) => NextInt64(0, maxValue);

    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        var range = (ulong)(maxValue - minValue);
        return range == 0 ? minValue : minValue + (long)(NextUInt64() % range);
    }

    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public override float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)(NextUInt64() >> 56);
        }
    }

    protected override double Sample() => NextDouble();

    private ulong NextUInt64()
    {
        var z = _state += Golden;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
