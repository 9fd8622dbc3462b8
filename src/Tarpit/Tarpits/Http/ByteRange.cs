namespace Tarpit.Tarpits.Http;

/// <summary>
/// One <c>Range: bytes=…</c> range (RFC 9110 §14.1.2): <c>first-last</c>, <c>first-</c> or <c>-suffix</c>. A header
/// with several ranges or another unit is not kept (the response is a 200, as nginx's for what it cannot serve).
/// </summary>
internal readonly record struct ByteRange(long? First, long? Last)
{
    /// <summary>RFC 9110 §14.1.2: positions are 1*DIGIT; 18 digits keep them inside a long.</summary>
    private const int MaxDigits = 18;

    public static ByteRange? Parse(ReadOnlySpan<byte> value)
    {
        if (!value.StartsWith("bytes="u8))
        {
            return null;
        }

        value = HttpRequestParser.TrimOws(value["bytes="u8.Length..]);
        var dash = value.IndexOf((byte)'-');
        if (dash < 0 || value.Contains((byte)','))
        {
            return null;
        }

        long? first = null, last = null;
        if (dash > 0)
        {
            if (Number(value[..dash]) is not { } f)
            {
                return null;
            }

            first = f;
        }

        if (dash < value.Length - 1)
        {
            if (Number(value[(dash + 1)..]) is not { } l)
            {
                return null;
            }

            last = l;
        }

        if ((first is null && last is null) || (first is { } a && last is { } b && b < a))
        {
            return null;
        }

        return new ByteRange(first, last);
    }

    /// <summary>The inclusive byte positions this range selects in a body of <paramref name="length"/>, or null (416).</summary>
    public (long Start, long End)? Resolve(long length)
    {
        if (First is { } first)
        {
            return first < length ? (first, Math.Min(Last ?? (length - 1), length - 1)) : null;
        }

        var suffix = Last!.Value;
        return suffix > 0 && length > 0 ? (Math.Max(0, length - suffix), length - 1) : null;
    }

    private static long? Number(ReadOnlySpan<byte> digits)
    {
        if (digits.IsEmpty || digits.Length > MaxDigits)
        {
            return null;
        }

        long n = 0;
        foreach (var d in digits)
        {
            if (!char.IsAsciiDigit((char)d))
            {
                return null;
            }

            n = (n * 10) + (d - '0');
        }

        return n;
    }
}
