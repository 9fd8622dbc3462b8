using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tarpit.Bans;

/// <summary>
/// Strict parsing of a ban target, <c>ADDR</c> or <c>ADDR/PREFIX</c>, which may come from hostile input (fail2ban
/// passes what a log line said): plain IPv4 dotted quads and IPv6, no host names, whitespace, zone ids, leading zeros
/// (<c>010.1.1.1</c> means octal to some tools) or host bits below the prefix.
/// </summary>
internal static class BanTarget
{
    /// <summary>The longest text a target can be: a full IPv6 address with an embedded IPv4 tail and <c>/128</c> (RFC 4291 §2.2).</summary>
    public const int MaxLength = 45 + 4;

    public const string Allowed = "an IPv4 or IPv6 address, optionally with a prefix length (192.0.2.7, 192.0.2.0/24, 2001:db8::/48)";

    public static bool TryParse(string? text, out IPNetwork target, out string error)
    {
        target = default;
        if (string.IsNullOrEmpty(text))
        {
            error = $"empty ban target; expected {Allowed}";
            return false;
        }

        var shown = Text.AttackerText.Escape(text, 64);
        if (text.Length > MaxLength || !text.All(IsAllowedChar))
        {
            error = $"'{shown}' is not an address: expected {Allowed}";
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!TryParseAddress(addressText, out var address))
        {
            error = $"'{shown}' is not an address: expected {Allowed}, without leading zeros";
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        var prefix = maxPrefix;
        if (slash >= 0)
        {
            var prefixText = text[(slash + 1)..];
            if (prefixText.Length is 0 or > 3
                || (prefixText.Length > 1 && prefixText[0] == '0')
                || !prefixText.All(char.IsAsciiDigit)
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
                || prefix > maxPrefix)
            {
                error = $"'{shown}' has an invalid prefix length: expected 0 to {maxPrefix}";
                return false;
            }
        }

        var network = new IPNetwork(Mask(address, prefix), prefix);
        if (!network.BaseAddress.Equals(address))
        {
            error = $"'{shown}' has host bits set below /{prefix}: did you mean {network}?";
            return false;
        }

        target = network;
        error = "";
        return true;
    }

    /// <summary>The base address of <paramref name="address"/>'s /<paramref name="prefix"/> network.</summary>
    public static IPAddress Mask(IPAddress address, int prefix)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }

        return new IPAddress(bytes);
    }

    /// <summary>The host network (/32 or /128) of an address; IPv4-mapped IPv6 becomes IPv4.</summary>
    public static IPNetwork Host(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return new IPNetwork(plain, plain.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32);
    }

    private static bool IsAllowedChar(char c) => char.IsAsciiHexDigit(c) || c is '.' or ':' or '/';

    private static bool TryParseAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (!IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6 || v6.IsIPv4MappedToIPv6 || v6.ScopeId != 0)
            {
                return false;
            }

            address = v6;
            return true;
        }

        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var part = parts[i];
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0') || !part.All(char.IsAsciiDigit))
            {
                return false;
            }

            var value = int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture);
            if (value > 255)
            {
                return false;
            }

            bytes[i] = (byte)value;
        }

        address = new IPAddress(bytes);
        return true;
    }
}
