namespace Tarpit.Detection.Filters;

/// <summary>The messages about a connection rather than a login: its end, its disconnect, PAM, audit lines.</summary>
internal sealed partial class SshdFilter
{
    /// <summary>
    /// <c>Received disconnect from HOST port N:CODE: TEXT</c> (OpenSSH ≥ 7.x) or <c>… from HOST: CODE: TEXT</c> (older):
    /// the address comes before the client's text. Code 3 with <c>…: Auth fail</c> (JSch) is a failure, code 14
    /// (no authentication methods) one in extra mode; the rest name the connection's address only.
    /// </summary>
    private Hit ClassifyReceivedDisconnect(ReadOnlySpan<char> m)
    {
        var space = m.IndexOf(' ');
        var token = space >= 0 ? m[..space] : m;
        var rest = m[token.Length..];
        ReadOnlySpan<char> host;
        if (token.Length > 1 && token[^1] == ':')
        {
            host = token[..^1];
        }
        else if (SshdText.TryStrip(ref rest, " port ") && rest.IndexOf(':') is > 0 and var colon && SshdText.IsPort(rest[..colon]))
        {
            host = token;
            rest = rest[colon..];
        }
        else
        {
            return default;
        }

        rest = rest.TrimStart(':').TrimStart(' ');
        var codeEnd = rest.IndexOf(':');
        if (codeEnd <= 0 || codeEnd > 3 || rest[..codeEnd].IndexOfAnyExceptInRange('0', '9') >= 0)
        {
            return default;
        }

        var code = rest[..codeEnd];
        var text = rest[(codeEnd + 1)..].TrimStart(' ');
        if (code is "3" && text.EndsWith(": Auth fail"))
        {
            return new Hit(HitKind.Failure, host, Rules.AuthFailDisconnect);
        }

        if (_extra && code is "14" && (text.StartsWith("No supported authentication methods available") || text.StartsWith("No authentication methods available")))
        {
            return new Hit(HitKind.Failure, host, Rules.NoAuthMethods);
        }

        return new Hit(HitKind.Address, host, "");
    }

    /// <summary>
    /// <c>pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=HOST  user=root</c>:
    /// every field one word (fail2ban's <c>\S*</c>), so a user name with blanks (ruser, user) makes it no match at all.
    /// </summary>
    private static Hit ClassifyPam(ReadOnlySpan<char> m)
    {
        var open = m.IndexOf('(');
        if (open <= 4 || m[4..open].IndexOfAnyExceptInRange('a', 'z') >= 0 || !m[open..].StartsWith("(sshd:auth): authentication failure;"))
        {
            return default;
        }

        var rest = m[(open + "(sshd:auth): authentication failure;".Length)..];
        ReadOnlySpan<char> host = default;
        ReadOnlySpan<char> user = default;
        var state = 0; // 0: logname/uid/euid/tty, 1: after ruser, 2: after rhost, 3: after user
        foreach (var range in rest.Split(' '))
        {
            var word = rest[range];
            if (word.IsEmpty)
            {
                continue;
            }

            if (state == 0 && (word.StartsWith("logname=") || word.StartsWith("uid=") || word.StartsWith("euid=") || word.StartsWith("tty=")))
            {
                continue;
            }

            if (state == 0 && word.StartsWith("ruser="))
            {
                user = word[6..];
                state = 1;
            }
            else if (state == 1 && word.StartsWith("rhost="))
            {
                host = word[6..];
                state = 2;
            }
            else if (state == 2 && word.StartsWith("user="))
            {
                user = word.Length > 5 ? word[5..] : user;
                state = 3;
            }
            else
            {
                return default;
            }
        }

        return state >= 2 && !host.IsEmpty ? new Hit(HitKind.PamFailure, host, Rules.PamHeld, user: user) : default;
    }

    /// <summary><c>SSH: Server;Ltype: Version;Remote: HOST-PORT;…</c> (SUSE's audit lines): the connection's address only.</summary>
    private static Hit ClassifyLtype(ReadOnlySpan<char> m)
    {
        if (!(m.StartsWith("Authname;") || m.StartsWith("Version;") || m.StartsWith("Kex;")))
        {
            return default;
        }

        var remote = m.IndexOf(";Remote: ");
        if (remote < 0)
        {
            return default;
        }

        var value = m[(remote + 9)..];
        var end = value.IndexOf(';');
        var dash = end > 0 ? value[..end].LastIndexOf('-') : -1;
        return dash > 0 && SshdText.IsPort(value[(dash + 1)..end]) ? new Hit(HitKind.Address, value[..dash], StartRule) : default;
    }

    /// <summary>
    /// The connection's end: <c>[invalid |authenticating ]user USER HOST port N</c> (address at the end, after the
    /// client's user name) or <c>HOST port N</c>. A failure in ddos mode when still <c>[preauth]</c> (a user's, also in
    /// extra mode for <c>Disconnected from</c>); otherwise it names the connection's address.
    /// </summary>
    private Hit ClassifyClosed(ReadOnlySpan<char> m, bool preauth, string userRule)
    {
        var user = m.StartsWith("invalid user ") || m.StartsWith("authenticating user ");
        ReadOnlySpan<char> host;
        if (user || m.StartsWith("user "))
        {
            if (!SshdText.TryHostAtEnd(m, out host))
            {
                return default;
            }
        }
        else if (!SshdText.TryHostAtStart(m, out host, out var rest) || !SshdText.IsSuffix(rest))
        {
            return default;
        }

        var failure = preauth && (_ddos || (user && _extra && userRule == Rules.PreauthUserDisconnect));
        return new Hit(failure ? HitKind.Failure : HitKind.Address, host, user ? userRule : Rules.PreauthClose, closing: true);
    }
}
