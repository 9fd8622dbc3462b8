namespace Tarpit.Tarpits.Http;

/// <summary>Reads <c>Accept-Encoding</c> (RFC 9110 §12.5.3) for the codings a bomb can use.</summary>
internal static class AcceptEncoding
{
    /// <summary>
    /// The codings named with a non-zero weight: <c>gzip</c> (and its alias <c>x-gzip</c>, RFC 9110 §8.4.1.3),
    /// <c>deflate</c>, or <c>*</c> for both. <c>q=0</c> means "not acceptable" (RFC 9110 §12.4.2).
    /// </summary>
    public static ContentCodings Parse(ReadOnlySpan<byte> value)
    {
        var codings = ContentCodings.None;
        foreach (var range in value.Split((byte)','))
        {
            var element = value[range];
            var semicolon = element.IndexOf((byte)';');
            var coding = HttpRequestParser.TrimOws(semicolon < 0 ? element : element[..semicolon]);
            if (semicolon >= 0 && IsZeroWeight(element[(semicolon + 1)..]))
            {
                continue;
            }

            if (HttpRequestParser.NameIs(coding, "gzip"u8) || HttpRequestParser.NameIs(coding, "x-gzip"u8))
            {
                codings |= ContentCodings.Gzip;
            }
            else if (HttpRequestParser.NameIs(coding, "deflate"u8))
            {
                codings |= ContentCodings.Deflate;
            }
            else if (coding.SequenceEqual("*"u8))
            {
                codings |= ContentCodings.Gzip | ContentCodings.Deflate;
            }
        }

        return codings;
    }

    /// <summary>RFC 9110 §12.4.2: weight = OWS ";" OWS "q=" qvalue; qvalue = ( "0" [ "." 0*3DIGIT ] ) / ...</summary>
    private static bool IsZeroWeight(ReadOnlySpan<byte> parameters)
    {
        foreach (var range in parameters.Split((byte)';'))
        {
            var parameter = HttpRequestParser.TrimOws(parameters[range]);
            if (parameter.Length >= 2 && (parameter[0] | 0x20) == 'q' && parameter[1] == '=')
            {
                var q = parameter[2..];
                if (q.IsEmpty || q[0] != '0')
                {
                    return false;
                }

                var fraction = q[1..];
                return fraction.IsEmpty
                    || (fraction[0] == '.' && fraction.Length <= 4 && fraction[1..].IndexOfAnyExcept((byte)'0') < 0);
            }
        }

        return false;
    }
}
