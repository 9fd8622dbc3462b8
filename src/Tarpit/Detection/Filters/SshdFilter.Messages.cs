namespace Tarpit.Detection.Filters;

/// <summary>Which of sshd's messages a line is, and where its address is: one branch per first letter.</summary>
internal sealed partial class SshdFilter
{
    /// <summary>auth.c <c>allowed_user()</c>: the reasons written after <c>User U from HOST</c>.</summary>
    private static readonly string[] NotAllowedReasons =
    [
        " not allowed because not listed in AllowUsers",
        " not allowed because listed in DenyUsers",
        " not allowed because not in any group",
        " not allowed because a group is listed in DenyGroups",
        " not allowed because none of user's groups are listed in AllowGroups",
    ];

    private Hit Classify(ReadOnlySpan<char> m, bool preauth)
    {
        switch (m[0])
        {
            case 'F' when SshdText.TryStrip(ref m, "Failed "):
                return ClassifyFailed(m);
            case 'I' or 'i' when m[1..].StartsWith("nvalid user ") || m[1..].StartsWith("llegal user "):
                return FailureAfterLastFrom(m, Rules.InvalidUser);
            case 'U' when _extra && SshdText.TryStrip(ref m, "Unable to negotiate "):
                return ClassifyUnableToNegotiate(m);
            case 'U':
                return ClassifyUser(m);
            case 'R':
                return ClassifyR(m);
            case 'r' when SshdText.TryStrip(ref m, "refused connect from "):
                return ClassifyRefusedConnect(m);
            case 'A' when SshdText.TryStrip(ref m, "Accepted "):
                return ClassifyAccepted(m);
            case 'A' or 'a' when m[1..].StartsWith("uthentication failure for ") || m[1..].StartsWith("uthentication error for ") || m[1..].StartsWith("uthentication failed for "):
                return SshdText.TryHostAfterLastFrom(m, out var pam, allowVia: true) ? new Hit(HitKind.Failure, pam, Rules.AuthFailure) : default;
            case 'm' when m.StartsWith("maximum authentication attempts exceeded for "):
                return FailureAfterLastFrom(m, Rules.MaxAttempts);
            case 'D':
                return ClassifyD(m, preauth);
            case 'C' when SshdText.TryStrip(ref m, "Connection "):
                return ClassifyConnection(m, preauth);
            case 'p' when m.StartsWith("pam_"):
                return ClassifyPam(m);
            case 'k' when _ddos && SshdText.TryStrip(ref m, "kex_exchange_identification: "):
                SshdText.TryStrip(ref m, "read: ");
                return m.Length > 1 && (m[1..].StartsWith("lient sent invalid protocol identifier") || m[1..].StartsWith("onnection closed by remote host") || m[1..].StartsWith("onnection reset by peer"))
                    ? new Hit(HitKind.WithoutAddress, default, Rules.KexIdentification)
                    : default;
            case 'B' when _ddos && m.StartsWith("Bad protocol version identification '"):
                return FailureAfterLastFrom(m, Rules.BadProtocol);
            case 'b' when _ddos && SshdText.TryStrip(ref m, "banner exchange: Connection from "):
                return SshdText.TryHostAtStart(m, out var banner, out var bannerRest) && bannerRest.IndexOf(": ") is >= 0 and var colon
                    && SshdText.IsSuffix(bannerRest[..colon]) && bannerRest[(colon + 2)..].StartsWith("invalid format")
                    ? new Hit(HitKind.Failure, banner, Rules.BannerExchange)
                    : default;
            case 'S' when SshdText.TryStrip(ref m, "SSH: Server;Ltype: "):
                return ClassifyLtype(m);
            case 'T' when SshdText.TryStrip(ref m, "Timeout before authentication for "):
                return SshdText.TryHostAtStart(m, out var timeout, out var timeoutRest) && SshdText.IsSuffix(timeoutRest)
                    ? new Hit(_ddos ? HitKind.Failure : HitKind.Address, timeout, Rules.LoginGraceTimeout, closing: true)
                    : default;
            case 'n' when _extra && SshdText.TryStrip(ref m, "no matching "):
                return SshdText.TryAlgorithmMatch(m, out var algRest) && algRest.StartsWith(":") ? new Hit(HitKind.WithoutAddress, default, Rules.NegotiateByPid) : default;
            default:
                return default;
        }
    }

    /// <summary><c>Accepted METHOD for USER from HOST port N ssh2[: key]</c>: the user and address of a login.</summary>
    private static Hit ClassifyAccepted(ReadOnlySpan<char> m)
    {
        var cut = SshdText.BeforeSeparator(m);
        var space = cut.IndexOf(' ');
        var from = cut.LastIndexOf(" from ");
        if (space <= 0 || from <= space || !cut[(space + 1)..].StartsWith("for ") || !SshdText.TryHostAfterLastFrom(cut, out var host))
        {
            return default;
        }

        return new Hit(HitKind.LoggedIn, host, "", user: cut[Math.Min(space + 5, from)..from]);
    }

    private static Hit FailureAfterLastFrom(ReadOnlySpan<char> m, string rule) =>
        SshdText.TryHostAfterLastFrom(m, out var host) ? new Hit(HitKind.Failure, host, rule) : default;

    /// <summary>
    /// <c>Failed METHOD for [invalid user ]USER from HOST port N ssh2[: key or client host]</c>: cut at sshd's own
    /// <c>": "</c> first (what follows it, e.g. hostbased's client host name, is the client's), then the last <c>from</c>.
    /// </summary>
    private static Hit ClassifyFailed(ReadOnlySpan<char> m)
    {
        var space = m.IndexOf(' ');
        if (space <= 0 || !m[(space + 1)..].StartsWith("for "))
        {
            return default;
        }

        var method = m[..space];
        var invalid = m[(space + 5)..].StartsWith("invalid user ");
        if (!SshdText.TryHostAfterLastFrom(SshdText.BeforeSeparator(m), out var host))
        {
            return default;
        }

        return method is "publickey" && !invalid
            ? new Hit(HitKind.ValidUserKey, host, Rules.ValidUserKey)
            : new Hit(HitKind.Failure, host, Rules.Failed);
    }

    private static Hit ClassifyUser(ReadOnlySpan<char> m)
    {
        if (m.StartsWith("User not known to the underlying authentication module for "))
        {
            return FailureAfterLastFrom(m, Rules.NotKnown);
        }

        if (!m.StartsWith("User "))
        {
            return default;
        }

        if (m.EndsWith(" not allowed because account is locked"))
        {
            return new Hit(HitKind.WithoutAddress, default, Rules.AccountLocked);
        }

        foreach (var reason in NotAllowedReasons)
        {
            if (m.EndsWith(reason))
            {
                return FailureAfterLastFrom(m[..^reason.Length], Rules.NotAllowed);
            }
        }

        return default;
    }

    /// <summary>
    /// <c>Unable to negotiate with HOST port N: no matching ALG found. Their offer: …</c> (the address before the
    /// client's offer), or <c>Unable to negotiate a ALG</c> (older, no address: by pid).
    /// </summary>
    private static Hit ClassifyUnableToNegotiate(ReadOnlySpan<char> m)
    {
        if (SshdText.TryStrip(ref m, "a ") && !m.IsEmpty && char.IsAsciiLetterOrDigit(m[0]))
        {
            return new Hit(HitKind.WithoutAddress, default, Rules.NegotiateByPid);
        }

        if (!SshdText.TryStrip(ref m, "with ") || !SshdText.TryHostAtStart(m, out var host, out var rest))
        {
            return default;
        }

        var colon = rest.IndexOf(": ");
        if (colon < 0 || !SshdText.IsSuffix(rest[..colon]))
        {
            return default;
        }

        var reason = rest[(colon + 2)..];
        return SshdText.TryStrip(ref reason, "no matching ") && SshdText.TryAlgorithmMatch(reason, out _)
            ? new Hit(HitKind.Failure, host, Rules.Negotiate)
            : default;
    }

    private Hit ClassifyR(ReadOnlySpan<char> m)
    {
        if (SshdText.TryStrip(ref m, "ROOT LOGIN REFUSED FROM "))
        {
            return SshdText.TryHostAtStart(m, out var root, out _) ? new Hit(HitKind.Failure, root, Rules.RootRefused) : default;
        }

        if (_ddos && m.StartsWith("Read from socket failed: Connection reset by peer"))
        {
            return new Hit(HitKind.WithoutAddress, default, Rules.SocketReset);
        }

        return SshdText.TryStrip(ref m, "Received disconnect from ") ? ClassifyReceivedDisconnect(m) : default;
    }

    /// <summary>tcp_wrappers: <c>refused connect from NAME (HOST)</c>; NAME (from identd or DNS) has no blank.</summary>
    private static Hit ClassifyRefusedConnect(ReadOnlySpan<char> m)
    {
        var space = m.IndexOf(' ');
        if (space <= 0 || !m[(space + 1)..].StartsWith("("))
        {
            return default;
        }

        var inner = m[(space + 2)..];
        var close = inner.IndexOf(')');
        return close > 0 ? new Hit(HitKind.Failure, inner[..close], Rules.RefusedConnect) : default;
    }

    private Hit ClassifyD(ReadOnlySpan<char> m, bool preauth)
    {
        if (m.StartsWith("Disconnecting: Too many authentication failures"))
        {
            return new Hit(HitKind.WithoutAddress, default, Rules.TooMany);
        }

        if (SshdText.TryStrip(ref m, "Disconnecting "))
        {
            SshdText.TryStrip(ref m, "from ");
            if (!m.StartsWith("invalid user ") && !m.StartsWith("authenticating user "))
            {
                return default;
            }

            var before = SshdText.BeforeSeparator(m);
            if (before.Length == m.Length || !SshdText.TryHostAtEnd(before, out var host))
            {
                return default;
            }

            var reason = m[(before.Length + 2)..];
            return reason.StartsWith("Change of username or service not allowed") ? new Hit(HitKind.Failure, host, Rules.ChangeOfUser)
                : reason.StartsWith("Too many authentication failures") ? new Hit(HitKind.Failure, host, Rules.TooManyUser)
                : new Hit(HitKind.Address, host, "");
        }

        if (SshdText.TryStrip(ref m, "Disconnected from "))
        {
            return ClassifyClosed(m, preauth, userRule: _extra ? Rules.PreauthUserDisconnect : Rules.PreauthClose);
        }

        if (SshdText.TryStrip(ref m, "Did not receive identification string from "))
        {
            return SshdText.TryHostAtStart(m, out var host, out var rest) && SshdText.IsSuffix(rest)
                ? new Hit(_ddos ? HitKind.Failure : HitKind.Address, host, Rules.NoIdentification, closing: true)
                : default;
        }

        return default;
    }

    private Hit ClassifyConnection(ReadOnlySpan<char> m, bool preauth)
    {
        if (SshdText.TryStrip(ref m, "from "))
        {
            return SshdText.TryHostAtStart(m, out var host, out var rest) && SshdText.IsSuffix(rest) ? new Hit(HitKind.Address, host, StartRule) : default;
        }

        return SshdText.TryStrip(ref m, "closed by ") || SshdText.TryStrip(ref m, "reset by ")
            ? ClassifyClosed(m, preauth, userRule: Rules.PreauthClose)
            : default;
    }
}
