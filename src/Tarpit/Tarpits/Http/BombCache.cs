using System.Collections.Concurrent;

namespace Tarpit.Tarpits.Http;

/// <summary>
/// One compressed bomb per process per (encoding, inflated size), built on a background thread (never on the scheduler
/// thread), started at start by <see cref="Warm"/>, and kept for the life of the process: about 1/1030 of the inflated
/// size each. Builds run one at a time, so building holds at most one deflater, one 64 KiB chunk and one growing output
/// (docs/BENCHMARKS.md, bombs).
/// </summary>
internal static class BombCache
{
    private static readonly ConcurrentDictionary<(BombEncoding Encoding, long Size), Lazy<Task<byte[]>>> Bombs = new();
    private static readonly SemaphoreSlim OneBuild = new(1, 1);

    /// <summary>Starts building both codings of a bomb of <paramref name="size"/> (a bomb mode serves either, by Accept-Encoding).</summary>
    public static void Warm(long size)
    {
        _ = GetAsync(BombEncoding.Gzip, size);
        _ = GetAsync(BombEncoding.Deflate, size);
    }

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
            () =>
            {
                OneBuild.Wait();
                try
                {
                    return CompressionBomb.Build(key.Encoding, HtmlContent.Bomb(key.Size, Random.Shared), CancellationToken.None);
                }
                finally
                {
                    OneBuild.Release();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default))).Value;
}
