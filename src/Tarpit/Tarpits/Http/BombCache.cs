using System.Collections.Concurrent;

namespace Tarpit.Tarpits.Http;

/// <summary>
/// One compressed bomb per process per (encoding, inflated size), built lazily on first use on a background thread
/// (never on the scheduler thread) and kept for the life of the process: about 1/1030 of the inflated size each.
/// </summary>
internal static class BombCache
{
    private static readonly ConcurrentDictionary<(BombEncoding Encoding, long Size), Lazy<Task<byte[]>>> Bombs = new();

    /// <summary>The bomb, starting its build on first call; null while it is being built.</summary>
    /// <exception cref="InvalidOperationException">The build failed (the session falls back to plain drip).</exception>
    public static byte[]? TryGet(BombEncoding encoding, long size)
    {
        var build = GetAsync(encoding, size);
        if (build.IsFaulted)
        {
            throw new InvalidOperationException("Building the " + encoding + " bomb of " + size + " bytes failed.", build.Exception);
        }

        return build.IsCompletedSuccessfully ? build.Result : null;
    }

    /// <summary>The bomb's build (started on first call), for benchmarks, tests and warm-up at start.</summary>
    public static Task<byte[]> GetAsync(BombEncoding encoding, long size) =>
        Bombs.GetOrAdd((encoding, size), static key => new Lazy<Task<byte[]>>(() => Task.Factory.StartNew(
            () => CompressionBomb.Build(key.Encoding, HtmlContent.Bomb(key.Size, Random.Shared), CancellationToken.None),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default))).Value;
}
