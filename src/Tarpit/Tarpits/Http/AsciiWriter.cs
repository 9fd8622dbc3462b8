using System.Globalization;
using System.Text;

namespace Tarpit.Tarpits.Http;

/// <summary>Appends ASCII text to a fixed output span (a session's scratch); every response we write is bounded.</summary>
internal ref struct AsciiWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;

    public int Length { get; private set; }

    public readonly int Remaining => _destination.Length - Length;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_destination[Length..]);
        Length += bytes.Length;
    }

    public void Append(string text)
    {
        if (Ascii.FromUtf16(text, _destination[Length..], out var written) != System.Buffers.OperationStatus.Done)
        {
            throw new InvalidOperationException("Response text is not ASCII or does not fit the output buffer.");
        }

        Length += written;
    }

    public void Append(long value)
    {
        if (!value.TryFormat(_destination[Length..], out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("Response does not fit the output buffer.");
        }

        Length += written;
    }

    public void AppendHex(long value, int minDigits = 1)
    {
        if (!value.TryFormat(_destination[Length..], out var written, "x" + minDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("Response does not fit the output buffer.");
        }

        Length += written;
    }

    /// <summary>RFC 9110 §5.6.7 IMF-fixdate, as in Date and Last-Modified.</summary>
    public void AppendHttpDate(DateTimeOffset time) => Append(time.UtcDateTime.ToString("r", CultureInfo.InvariantCulture));

    /// <summary><paramref name="count"/> random characters from <paramref name="alphabet"/>.</summary>
    public void AppendRandom(ReadOnlySpan<byte> alphabet, int count, Random random)
    {
        for (var i = 0; i < count; i++)
        {
            _destination[Length++] = alphabet[random.Next(alphabet.Length)];
        }
    }

    public void AppendLine(string name, string value)
    {
        Append(name);
        Append(": "u8);
        Append(value);
        Append("\r\n"u8);
    }

    public void EndLine() => Append("\r\n"u8);
}
