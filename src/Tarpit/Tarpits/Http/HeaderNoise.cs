namespace Tarpit.Tarpits.Http;

/// <summary>
/// Plausible, never-repeating header lines: cookies with varying names and values, request ids, cache and backend
/// markers, preload links. Used for endless-header's stream and for the optional headers of every response, so no
/// two connections see the same header set.
/// </summary>
internal static class HeaderNoise
{
    private static readonly string[] CookieNames =
    [
        "PHPSESSID", "sessionid", "JSESSIONID", "_csrf", "XSRF-TOKEN", "laravel_session", "ci_session", "SERVERID",
        "__cf_bm", "AWSALB", "visitor_id", "_session_id", "sid", "csrftoken", "wp-settings-time-1", "lang", "uid",
        "connect.sid", "ASP.NET_SessionId", "route", "_gh_sess", "tracking_id", "ab_bucket", "device_id",
    ];

    private static readonly string[] XHeaderNames =
    [
        "X-Request-Id", "X-Cache", "X-Served-By", "X-Backend", "X-Upstream", "X-Runtime", "X-Trace-Id", "X-Edge-Location",
        "X-Proxy-Cache", "X-Cache-Status", "X-Varnish", "X-Node", "X-Correlation-Id", "X-Response-Time",
    ];

    private static readonly string[] Optional =
    [
        "X-Frame-Options: SAMEORIGIN", "X-Content-Type-Options: nosniff", "Vary: Accept-Encoding",
        "Referrer-Policy: strict-origin-when-cross-origin", "X-XSS-Protection: 1; mode=block",
        "Cache-Control: no-cache", "Cache-Control: max-age=0, must-revalidate", "Pragma: no-cache",
        "Permissions-Policy: interest-cohort=()", "X-Frame-Options: DENY",
    ];

    private static readonly string[] Backends = ["web", "app", "node", "fe", "edge", "www", "backend", "srv"];

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    private static ReadOnlySpan<byte> CookieAlphabet => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"u8;

    /// <summary>One header line (with CRLF), at most ~200 bytes.</summary>
    public static void WriteLine(ref AsciiWriter w, Random random)
    {
        switch (random.Next(10))
        {
            case < 5:
                WriteSetCookie(ref w, random);
                break;
            case < 8:
                WriteXHeader(ref w, random);
                break;
            case 8:
                w.Append("Link: </assets/"u8);
                w.Append(random.Next(2) == 0 ? "app."u8 : "main."u8);
                w.AppendRandom(Hex, 8, random);
                w.Append(random.Next(2) == 0 ? ".css>; rel=preload; as=style"u8 : ".js>; rel=preload; as=script"u8);
                w.EndLine();
                break;
            default:
                w.Append(Optional[random.Next(Optional.Length)]);
                w.EndLine();
                break;
        }
    }

    /// <summary>Zero to three optional headers, in random order, for a complete response.</summary>
    public static void WriteOptional(ref AsciiWriter w, Random random)
    {
        var count = random.Next(4);
        var first = random.Next(Optional.Length);
        for (var i = 0; i < count; i++)
        {
            w.Append(Optional[(first + (i * 3)) % Optional.Length]);
            w.EndLine();
        }

        if (random.Next(3) == 0)
        {
            WriteSetCookie(ref w, random);
        }
    }

    private static void WriteSetCookie(ref AsciiWriter w, Random random)
    {
        w.Append("Set-Cookie: "u8);
        w.Append(CookieNames[random.Next(CookieNames.Length)]);
        if (random.Next(4) == 0)
        {
            w.Append("_"u8);
            w.AppendRandom(Hex, 4, random);
        }

        w.Append("="u8);
        if (random.Next(2) == 0)
        {
            w.AppendRandom(Hex, 16 << random.Next(3), random);
        }
        else
        {
            w.AppendRandom(CookieAlphabet, 20 + random.Next(40), random);
        }

        w.Append("; Path=/"u8);
        if (random.Next(2) == 0)
        {
            w.Append("; Max-Age="u8);
            w.Append(random.Next(1, 366) * 86_400L / (random.Next(2) == 0 ? 1 : 24));
        }

        if (random.Next(3) != 0)
        {
            w.Append("; HttpOnly"u8);
        }

        if (random.Next(2) == 0)
        {
            w.Append(random.Next(2) == 0 ? "; SameSite=Lax"u8 : "; SameSite=Strict"u8);
        }

        w.EndLine();
    }

    private static void WriteXHeader(ref AsciiWriter w, Random random)
    {
        var name = XHeaderNames[random.Next(XHeaderNames.Length)];
        w.Append(name);
        w.Append(": "u8);
        switch (name)
        {
            case "X-Request-Id" or "X-Trace-Id" or "X-Correlation-Id":
                w.AppendRandom(Hex, 8, random);
                w.Append("-"u8);
                w.AppendRandom(Hex, 4, random);
                w.Append("-4"u8);
                w.AppendRandom(Hex, 3, random);
                w.Append("-"u8);
                w.AppendRandom(Hex, 4, random);
                w.Append("-"u8);
                w.AppendRandom(Hex, 12, random);
                break;
            case "X-Cache" or "X-Proxy-Cache" or "X-Cache-Status":
                w.Append(random.Next(3) switch { 0 => "HIT", 1 => "MISS", _ => "EXPIRED" });
                break;
            case "X-Runtime" or "X-Response-Time":
                w.Append("0."u8);
                w.Append(random.Next(1000, 999_999));
                break;
            case "X-Varnish":
                w.Append(random.Next(10_000_000, int.MaxValue));
                w.Append(" "u8);
                w.Append(random.Next(10_000_000, int.MaxValue));
                break;
            default:
                w.Append(Backends[random.Next(Backends.Length)]);
                w.Append("-"u8);
                w.Append(random.Next(1, 40));
                w.Append(random.Next(2) == 0 ? ".internal"u8 : ""u8);
                break;
        }

        w.EndLine();
    }
}
