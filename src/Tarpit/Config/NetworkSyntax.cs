using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tarpit.Config;

/// <summary>Allowlist entries: a network <c>192.0.2.0/24</c>, <c>2001:db8::/32</c>, or one address (a /32 or /128).</summary>
internal static class NetworkSyntax
{
    public const string Allowed = "an address like \"192.0.2.7\" or \"2001:db8::7\", or a network like \"192.0.2.0/24\" or \"2001:db8::/32\"";

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says what is wrong and how to fix it.</summary>
    public static bool TryParse(string text, out IPNetwork network, out string problem)
    {
        network = default;
        problem = string.Empty;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%', StringComparison.Ordinal)
            || (address.AddressFamily == AddressFamily.InterNetwork && addressText.Count(c => c == '.') != 3))
        {
            problem = $"{TomlText.Quote(text)} is not an IP address or network; expected {Allowed}";
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0)
        {
            var prefixText = text[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit)
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix)
            {
                problem = $"{TomlText.Quote(text)} has an invalid prefix length; allowed /0-/{maxPrefix} for this address family";
                return false;
            }
        }

        var masked = Mask(address, prefix);
        if (!masked.Equals(address))
        {
            problem = $"{TomlText.Quote(text)} has host bits set after the /{prefix} prefix; did you mean \"{masked}/{prefix}\" (the network) or \"{address}\" (one address)?";
            return false;
        }

        network = new IPNetwork(address, prefix);
        return true;
    }

    /// <summary>How the printer writes an entry: a single address stays an address.</summary>
    public static string Format(IPNetwork network)
    {
        var full = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        return network.PrefixLength == full ? network.BaseAddress.ToString() : network.ToString();
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }
}
