using System.Globalization;
using System.Text;

namespace Tarpit.Net;

internal static partial class NetworkText
{
    /// <summary>The sentence for an address part that <see cref="AddressSyntax.Read"/> refused, with a fix where there is one.</summary>
    private static string AddressError(string text, int slash, AddressProblem problem, NetworkTextStyle style)
    {
        var found = style.Found(text);
        var suffix = slash < 0 ? string.Empty : text[slash..];
        var address = slash < 0 ? text : text[..slash];
        return problem switch
        {
            AddressProblem.LeadingZero =>
                $"{found} is not an IP address or network: {AddressSyntax.Reason(problem)}; write {style.Fix(WithoutLeadingZeros(address) + suffix)} if you mean decimal",
            AddressProblem.ZoneId =>
                $"{found} is not an IP address or network: {AddressSyntax.Reason(problem)}, as an allowlist entry or a ban holds on every interface; write {style.Fix(address[..address.IndexOf('%', StringComparison.Ordinal)] + suffix)}",
            AddressProblem.PartTooLarge or AddressProblem.TooLong =>
                $"{found} is not an IP address or network: {AddressSyntax.Reason(problem)}; expected {Allowed}",
            _ => $"{found} is not an IP address or network; expected {Allowed}",
        };
    }

    /// <summary>
    /// Reads the digits after the slash: 1-3 decimal digits, no leading zero, at most <paramref name="full"/>.
    /// <paramref name="leadingZero"/> (with <paramref name="prefix"/> the value meant) when that is the only fault.
    /// </summary>
    private static bool TryReadPrefix(ReadOnlySpan<char> text, int full, out int prefix, out bool leadingZero)
    {
        prefix = full;
        leadingZero = false;
        if (text.IsEmpty || text.Length > MaxPrefixDigits || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > full)
        {
            return false;
        }

        prefix = value;
        leadingZero = text.Length > 1 && text[0] == '0';
        return !leadingZero;
    }

    /// <summary><c>010.0.0.01</c> written in decimal as <c>10.0.0.1</c> (the dotted quad, or an IPv6 address's IPv4 tail).</summary>
    private static string WithoutLeadingZeros(string address)
    {
        var colon = address.LastIndexOf(':');
        var builder = new StringBuilder(address.Length).Append(address, 0, colon + 1);
        var parts = address[(colon + 1)..].Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var trimmed = parts[i].TrimStart('0');
            builder.Append(i == 0 ? string.Empty : ".").Append(trimmed.Length == 0 ? "0" : trimmed);
        }

        return builder.ToString();
    }
}
