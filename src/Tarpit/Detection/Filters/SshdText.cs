namespace Tarpit.Detection.Filters;

/// <summary>
/// Span scans for sshd's messages (no regex, no allocation). sshd writes the client's address either right after its
/// fixed words (<c>Connection from ADDR</c>) or after the user name, which the client chooses: then it is the word after
/// the LAST <c>" from "</c>, or the word before the final <c>" port N"</c>, with nothing but sshd's own suffix words
/// (<c>port N</c>, <c>on ADDR</c>, <c>ssh2</c>) after it. OpenSSH cuts a user name at its first <c>':'</c> (auth2.c
/// <c>input_userauth_request</c>), so the first <c>": "</c> of a message is always sshd's own separator.
/// </summary>
internal static class SshdText
{
    /// <summary>RFC 793 §3.1: a port is 16 bits, at most five decimal digits.</summary>
    public const int MaxPortDigits = 5;

    /// <summary>The text before the first <c>": "</c> (all of it when there is none): what follows is not the user's.</summary>
    public static ReadOnlySpan<char> BeforeSeparator(ReadOnlySpan<char> message)
    {
        var separator = message.IndexOf(": ");
        return separator >= 0 ? message[..separator] : message;
    }

    /// <summary>The word after the last <c>" from "</c>, when only sshd's suffix words follow it.</summary>
    public static bool TryHostAfterLastFrom(ReadOnlySpan<char> text, out ReadOnlySpan<char> host, bool allowVia = false)
    {
        host = default;
        var from = text.LastIndexOf(" from ");
        if (from < 0)
        {
            return false;
        }

        return TryHostAtStart(text[(from + 6)..], out host, out var rest) && IsSuffix(rest, allowVia);
    }

    /// <summary>The word before an optional final <c>" port N"</c>: where sshd puts the address after a user name.</summary>
    public static bool TryHostAtEnd(ReadOnlySpan<char> text, out ReadOnlySpan<char> host)
    {
        var port = text.LastIndexOf(" port ");
        if (port >= 0 && IsPort(text[(port + 6)..]))
        {
            text = text[..port];
        }

        var space = text.LastIndexOf(' ');
        host = text[(space + 1)..];
        return space >= 0 && !host.IsEmpty;
    }

    /// <summary>The first word of <paramref name="text"/> and what follows it (from its space on).</summary>
    public static bool TryHostAtStart(ReadOnlySpan<char> text, out ReadOnlySpan<char> host, out ReadOnlySpan<char> rest)
    {
        var space = text.IndexOf(' ');
        host = space >= 0 ? text[..space] : text;
        rest = space >= 0 ? text[space..] : default;
        return !host.IsEmpty;
    }

    /// <summary>
    /// True when <paramref name="rest"/> holds only the words sshd writes after an address: <c> port N</c>,
    /// <c> on ADDR</c>, <c> rdomain NAME</c>, <c> sshN</c> (and PAM's <c> via HOST</c> when allowed), in any order.
    /// </summary>
    public static bool IsSuffix(ReadOnlySpan<char> rest, bool allowVia = false)
    {
        while (!rest.IsEmpty)
        {
            if (rest[0] != ' ')
            {
                return false;
            }

            rest = rest[1..];
            var space = rest.IndexOf(' ');
            var word = space >= 0 ? rest[..space] : rest;
            var after = space >= 0 ? rest[space..] : default;
            if (word.StartsWith("ssh") && word[3..].IndexOfAnyExceptInRange('0', '9') < 0)
            {
                rest = after;
                continue;
            }

            if (after.IsEmpty || !(word is "port" or "on" or "rdomain" || (allowVia && word is "via")))
            {
                return false;
            }

            var valueEnd = after[1..].IndexOf(' ');
            var value = valueEnd >= 0 ? after[1..(valueEnd + 1)] : after[1..];
            if (value.IsEmpty || (word is "port" && !IsPort(value)))
            {
                return false;
            }

            rest = valueEnd >= 0 ? after[(valueEnd + 1)..] : default;
        }

        return true;
    }

    public static bool IsPort(ReadOnlySpan<char> text) =>
        text.Length is > 0 and <= MaxPortDigits && text.IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>Removes <paramref name="prefix"/> from the start of <paramref name="text"/> if it is there.</summary>
    public static bool TryStrip(ref ReadOnlySpan<char> text, string prefix)
    {
        if (!text.StartsWith(prefix))
        {
            return false;
        }

        text = text[prefix.Length..];
        return true;
    }

    /// <summary>
    /// <c>no matching ALG found</c> (ssherr.c's SSH_ERR_*_ALG_MATCH, fail2ban's <c>__alg_match</c>): one to three words,
    /// none of them <c>found</c>, then <c> found</c>; returns what follows.
    /// </summary>
    public static bool TryAlgorithmMatch(ReadOnlySpan<char> text, out ReadOnlySpan<char> rest)
    {
        rest = default;
        for (var words = 0; words < 3; words++)
        {
            var space = text.IndexOf(' ');
            if (space <= 0)
            {
                return false;
            }

            var word = text[..space];
            if (word is "found" || !IsWord(word))
            {
                return false;
            }

            text = text[(space + 1)..];
            if (text.StartsWith("found") && (text.Length == 5 || !IsWordChar(text[5])))
            {
                rest = text[5..];
                return true;
            }
        }

        return false;
    }

    private static bool IsWord(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
        {
            if (!IsWordChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
