namespace Tarpit.Tarpits.Http;

/// <summary>
/// A virtual HTML document of exact length: <c>prefix + middle × n + suffix</c>, the middle cut to fit. Served from
/// any offset without materialising it, so a session only keeps its offset. When the length is shorter than prefix and
/// suffix together, the document is their concatenation cut at the length.
/// </summary>
internal sealed class HtmlDocument
{
    /// <summary>The middle is pre-repeated to at least this length so copies move large runs, not a few bytes.</summary>
    private const int MinExpandedMiddle = 16 * 1024;

    private readonly byte[] _prefix;
    private readonly byte[] _middle;
    private readonly byte[] _suffix;
    private readonly long _middleEnd;

    public HtmlDocument(byte[] prefix, byte[] middle, byte[] suffix, long length)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(middle);
        ArgumentNullException.ThrowIfNull(suffix);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfZero(middle.Length);
        Length = length;
        if (length < prefix.Length + suffix.Length)
        {
            _prefix = [.. prefix, .. suffix];
            _suffix = [];
            _middleEnd = length;
        }
        else
        {
            _prefix = prefix;
            _suffix = suffix;
            _middleEnd = length - suffix.Length;
        }

        var repeats = Math.Max(1, MinExpandedMiddle / middle.Length);
        _middle = new byte[middle.Length * repeats];
        for (var i = 0; i < repeats; i++)
        {
            middle.CopyTo(_middle, i * middle.Length);
        }
    }

    public long Length { get; }

    /// <summary>Copies the document's bytes from <paramref name="offset"/>; returns how many (0 at the end).</summary>
    public int CopyTo(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var total = (int)Math.Min(destination.Length, Math.Max(0, Length - offset));
        var copied = 0;
        while (copied < total)
        {
            var position = offset + copied;
            var remaining = total - copied;
            ReadOnlySpan<byte> source;
            if (position < Math.Min(_prefix.Length, _middleEnd))
            {
                source = _prefix.AsSpan((int)position, (int)Math.Min(_prefix.Length - position, _middleEnd - position));
            }
            else if (position < _middleEnd)
            {
                var inMiddle = (int)((position - _prefix.Length) % _middle.Length);
                source = _middle.AsSpan(inMiddle, (int)Math.Min(_middle.Length - inMiddle, _middleEnd - position));
            }
            else
            {
                source = _suffix.AsSpan((int)(position - _middleEnd));
            }

            source = source[..Math.Min(source.Length, remaining)];
            source.CopyTo(destination[copied..]);
            copied += source.Length;
        }

        return copied;
    }
}
