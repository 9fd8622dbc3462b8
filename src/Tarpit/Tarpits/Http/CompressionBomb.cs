using System.IO.Compression;

namespace Tarpit.Tarpits.Http;

/// <summary>Compresses a (virtual) document once: a small body that inflates to the document's exact length.</summary>
internal static class CompressionBomb
{
    private const int ChunkSize = 64 * 1024;

    public static byte[] Build(BombEncoding encoding, HtmlDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var output = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            BombEncoding.Gzip => new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true),
            BombEncoding.Deflate => new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown bomb encoding."),
        })
        {
            var chunk = new byte[ChunkSize];
            for (long offset = 0; offset < document.Length;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = document.CopyTo(offset, chunk);
                compressor.Write(chunk, 0, count);
                offset += count;
            }
        }

        return output.ToArray();
    }

    public static string ContentEncoding(BombEncoding encoding) => encoding == BombEncoding.Gzip ? "gzip" : "deflate";
}
