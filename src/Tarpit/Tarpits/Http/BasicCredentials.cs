using System.Buffers.Text;

namespace Tarpit.Tarpits.Http;

/// <summary>Decodes <c>Authorization: Basic</c> (RFC 7617 §2): base64 of <c>user-id ":" password</c>.</summary>
internal static class BasicCredentials
{
    /// <summary>
    /// A field line is at most <see cref="HttpRequestParser.MaxLineLength"/> bytes, so the decoded credentials are at
    /// most three quarters of that; decoding happens on the stack.
    /// </summary>
    private const int MaxDecodedLength = HttpRequestParser.MaxLineLength / 4 * 3;

    /// <summary>
    /// True when <paramref name="value"/> is <c>Basic</c> (scheme case-insensitive, RFC 9110 §11.1) with valid base64.
    /// A missing colon gives an empty password. The returned bytes are raw attacker bytes: escape them.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> value, out byte[] user, out byte[] password)
    {
        user = [];
        password = [];
        ReadOnlySpan<byte> scheme = "Basic "u8;
        if (value.Length <= scheme.Length || !HttpRequestParser.NameIs(value[..scheme.Length], scheme))
        {
            return false;
        }

        var token = HttpRequestParser.TrimOws(value[scheme.Length..]);
        if (token.Length > HttpRequestParser.MaxLineLength)
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[MaxDecodedLength];
        if (Base64.DecodeFromUtf8(token, decoded, out var consumed, out var written) is not System.Buffers.OperationStatus.Done
            || consumed != token.Length)
        {
            return false;
        }

        var credentials = decoded[..written];
        var colon = credentials.IndexOf((byte)':');
        user = (colon < 0 ? credentials : credentials[..colon]).ToArray();
        password = colon < 0 ? [] : credentials[(colon + 1)..].ToArray();
        return true;
    }
}
