namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// Random-looking bytes as a pure function of a per-connection seed and a position, so a session keeps only the seed
/// and an offset (no buffer) and can regenerate exactly the bytes a client did not accept yet. Uses the SplitMix64
/// finalizer: fast and well mixed, and not a secret (tarpit noise is not security-sensitive).
/// </summary>
internal static class SshNoise
{
    private const ulong Golden = 0x9E3779B97F4A7C15;

    /// <summary>A connection's seed from a per-mode secret and the engine's connection id.</summary>
    public static ulong Seed(ulong secret, long connectionId) => Mix(secret ^ ((ulong)connectionId * Golden));

    /// <summary>64 random-looking bits for <paramref name="position"/> in the stream of <paramref name="seed"/>.</summary>
    public static ulong At(ulong seed, long position) => Mix(seed + ((ulong)position * Golden));

    /// <summary>One random-looking byte for <paramref name="position"/> in the stream of <paramref name="seed"/>.</summary>
    public static byte ByteAt(ulong seed, long position) => (byte)(At(seed, position) >> 56);

    /// <summary>Fills <paramref name="destination"/> with the bytes at positions <paramref name="position"/> onward.</summary>
    public static void Fill(ulong seed, long position, Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = ByteAt(seed, position + i);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
