using System.IO.Compression;
using Tarpit.Tarpits.Http;

namespace Tarpit.Tests.Tarpits.Http;

public sealed class CompressionBombTests
{
    private const long BombSize = 8 * 1024 * 1024;

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public void The_bomb_inflates_to_exactly_the_promised_size_and_is_small(string coding)
    {
        var encoding = coding == "gzip" ? BombEncoding.Gzip : BombEncoding.Deflate;
        var bomb = CompressionBomb.Build(encoding, HtmlContent.Bomb(BombSize, new Random(5)), CancellationToken.None);

        using var compressed = new MemoryStream(bomb);
        using Stream inflater = encoding == BombEncoding.Gzip
            ? new GZipStream(compressed, CompressionMode.Decompress)
            : new ZLibStream(compressed, CompressionMode.Decompress);
        var (count, first, last) = CountStream(inflater);

        Assert.Equal(BombSize, count);
        Assert.True(bomb.Length < BombSize / 500, $"compressed to {bomb.Length} bytes");
        Assert.StartsWith("<!DOCTYPE html>", first, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cache_builds_each_bomb_once()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var first = await BombCache.GetAsync(BombEncoding.Deflate, 1 << 20).WaitAsync(timeout.Token);
        var second = BombCache.TryGet(BombEncoding.Deflate, 1 << 20);

        Assert.Same(first, second);
    }

    private static (long Count, string First, string Last) CountStream(Stream stream)
    {
        var buffer = new byte[64 * 1024];
        long count = 0;
        string? first = null;
        var last = "";
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            first ??= System.Text.Encoding.ASCII.GetString(buffer, 0, Math.Min(read, 64));
            last = System.Text.Encoding.ASCII.GetString(buffer, Math.Max(0, read - 64), Math.Min(read, 64));
            count += read;
        }

        return (count, first ?? "", last);
    }
}
