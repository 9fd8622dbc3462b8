using System.Net;

namespace Tarpit.Tarpits.Proxy;

/// <summary>
/// RFC 7239 §4: <c>Forwarded: for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8:cafe::17]:4711"</c>: a list
/// of elements, each of <c>;</c>-separated <c>token=value</c> pairs, a value being a token or a quoted-string.
/// </summary>
internal static partial class ForwardedClient
{
    private static bool TryForwarded(string value, Func<IPAddress, bool> isTrusted, out IPAddress? client, out string? problem)
    {
        client = null;
        problem = null;
        if (value.Length > MaxFieldLength)
        {
            problem = $"longer than {MaxFieldLength} bytes";
            return false;
        }

        // The for= of each element, left to right ("" for an element without one).
        var nodes = new List<string>();
        var text = value.AsSpan();
        var i = 0;
        var current = string.Empty;
        while (true)
        {
            i = SkipOws(text, i);
            if (i < text.Length && text[i] is not ';' and not ',')
            {
                var name = ReadToken(text, ref i);
                if (name.IsEmpty || i >= text.Length || text[i] != '=')
                {
                    problem = "a pair is not token=value (RFC 7239 §4)";
                    return false;
                }

                i++;
                if (!TryReadValue(text, ref i, out var pairValue))
                {
                    problem = "a value is neither a token nor a quoted-string (RFC 7239 §4)";
                    return false;
                }

                if (name.Equals("for", StringComparison.OrdinalIgnoreCase))
                {
                    current = pairValue;
                }

                i = SkipOws(text, i);
            }

            if (i >= text.Length || text[i] == ',')
            {
                if (nodes.Count == MaxHops)
                {
                    problem = $"more than {MaxHops} elements";
                    return false;
                }

                nodes.Add(current);
                current = string.Empty;
                if (i >= text.Length)
                {
                    break;
                }
            }
            else if (text[i] != ';')
            {
                problem = "pairs are not separated by ';' and elements by ','";
                return false;
            }

            i++;
        }

        for (var n = nodes.Count - 1; n >= 0; n--)
        {
            switch (ReadNode(nodes[n], out var address))
            {
                case NodeKind.Address when isTrusted(address!) && n > 0:
                    continue;
                case NodeKind.Address:
                    client = address;
                    return true;
                case NodeKind.Hidden:
                    // unknown, an obfuscated identifier (§6.2, §6.3) or no for=: this proxy does not say; nothing
                    // left of it is believed, and the next field is asked.
                    return false;
                default:
                    problem = "a for= is not an IPv4 address, a bracketed IPv6 address, \"unknown\" or an obfuscated identifier (RFC 7239 §6)";
                    return false;
            }
        }

        return false;
    }

    private enum NodeKind : byte
    {
        Address,
        Hidden,
        Malformed,
    }

    /// <summary>§6: node = nodename [ ":" node-port ]; nodename = IPv4address / "[" IPv6address "]" / "unknown" / obfnode.</summary>
    private static NodeKind ReadNode(string node, out IPAddress? address)
    {
        address = null;
        var text = node.AsSpan();
        if (text.IsEmpty || text.Equals("unknown", StringComparison.OrdinalIgnoreCase))
        {
            return NodeKind.Hidden;
        }

        if (text[0] == '_')
        {
            return IsObfuscated(text[1..]) ? NodeKind.Hidden : NodeKind.Malformed;
        }

        ReadOnlySpan<char> name;
        ReadOnlySpan<char> port;
        if (text[0] == '[')
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                return NodeKind.Malformed;
            }

            name = text[1..close];
            port = text[(close + 1)..];
            if (!name.Contains(':'))
            {
                return NodeKind.Malformed; // brackets hold IPv6 only
            }
        }
        else
        {
            var colon = text.IndexOf(':');
            name = colon < 0 ? text : text[..colon];
            port = colon < 0 ? default : text[colon..];
            if (name.Contains(':'))
            {
                return NodeKind.Malformed;
            }
        }

        if (!port.IsEmpty && (port.Length < 2 || port[0] != ':' || !IsNodePort(port[1..])))
        {
            return NodeKind.Malformed;
        }

        return TryAddress(name, out address) ? NodeKind.Address : NodeKind.Malformed;
    }

    /// <summary>§6: node-port = port / obfport; port = 1*5DIGIT.</summary>
    private static bool IsNodePort(ReadOnlySpan<char> port) =>
        port[0] == '_' ? IsObfuscated(port[1..]) : port.Length <= 5 && !port.ContainsAnyExceptInRange('0', '9');

    /// <summary>§6.3: obfnode = "_" 1*( ALPHA / DIGIT / "." / "_" / "-" ), after the underscore.</summary>
    private static bool IsObfuscated(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty)
        {
            return false;
        }

        foreach (var c in rest)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '.' and not '_' and not '-')
            {
                return false;
            }
        }

        return true;
    }

    private static int SkipOws(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    /// <summary>RFC 9110 §5.6.2: token = 1*tchar.</summary>
    private static ReadOnlySpan<char> ReadToken(ReadOnlySpan<char> text, ref int i)
    {
        var start = i;
        while (i < text.Length && IsTokenChar(text[i]))
        {
            i++;
        }

        return text[start..i];
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    /// <summary>A token, or an RFC 9110 §5.6.4 quoted-string (with its quoted-pairs undone).</summary>
    private static bool TryReadValue(ReadOnlySpan<char> text, ref int i, out string value)
    {
        value = string.Empty;
        if (i < text.Length && text[i] == '"')
        {
            var builder = new System.Text.StringBuilder();
            i++;
            while (i < text.Length && text[i] != '"')
            {
                if (text[i] == '\\')
                {
                    i++;
                    if (i >= text.Length)
                    {
                        return false;
                    }
                }

                builder.Append(text[i]);
                i++;
            }

            if (i >= text.Length)
            {
                return false;
            }

            i++;
            value = builder.ToString();
            return true;
        }

        var token = ReadToken(text, ref i);
        value = token.ToString();
        return !token.IsEmpty;
    }
}
