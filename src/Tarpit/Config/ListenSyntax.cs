using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tarpit.Net;

namespace Tarpit.Config;

/// <summary>
/// Listen addresses: <c>"0.0.0.0:80"</c>, <c>"192.0.2.7:2222"</c>, <c>"[::]:2222"</c>, <c>"[2001:db8::7]:8443"</c>.
/// <c>[::]</c> is bound dual-stack, so it also takes IPv4 on its port.
/// </summary>
internal static class ListenSyntax
{
    public const string Allowed = "\"ipv4:port\" or \"[ipv6]:port\", e.g. \"0.0.0.0:2222\" or \"[::]:2222\", port 1-65535";

    public const int MinPort = 1;
    public const int MaxPort = 65535;

    public static bool TryParse(string text, out IPEndPoint endPoint, out string problem)
    {
        endPoint = new IPEndPoint(IPAddress.None, 0);
        problem = string.Empty;
        string host;
        string portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
            {
                problem = $"listen address {TomlText.Quote(text)} has no port; expected {Allowed}";
                return false;
            }

            host = text[1..close];
            portText = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 0 || text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                problem = colon < 0
                    ? $"listen address {TomlText.Quote(text)} has no port; expected {Allowed}"
                    : $"listen address {TomlText.Quote(text)} looks like IPv6 without brackets; write it as \"[address]:port\"";
                return false;
            }

            host = text[..colon];
            portText = text[(colon + 1)..];
        }

        var isV6 = text.StartsWith('[');
        var read = NetworkText.TryParseAddress(host, out var address);
        if (read != AddressProblem.None || (address.AddressFamily == AddressFamily.InterNetworkV6) != isV6)
        {
            problem = read is AddressProblem.LeadingZero or AddressProblem.PartTooLarge or AddressProblem.ZoneId
                ? $"listen address {TomlText.Quote(text)} does not start with an IP address: {AddressSyntax.Reason(read)}; expected {Allowed}"
                : $"listen address {TomlText.Quote(text)} does not start with an IP address (host names are not resolved); expected {Allowed}";
            return false;
        }

        if (portText.Length is 0 or > 9 || !portText.All(char.IsAsciiDigit))
        {
            problem = $"listen address {TomlText.Quote(text)} has an invalid port {TomlText.Quote(portText)}; allowed {MinPort}-{MaxPort}";
            return false;
        }

        var port = int.Parse(portText, NumberStyles.None, CultureInfo.InvariantCulture);
        if (port is < MinPort or > MaxPort)
        {
            problem = $"port {port} in listen address {TomlText.Quote(text)} is out of range; allowed {MinPort}-{MaxPort}";
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary><c>0.0.0.0:80</c> or <c>[::]:2222</c>: the form <see cref="TryParse"/> reads back.</summary>
    public static string Format(IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{endPoint.Address}]:{endPoint.Port}"
            : $"{endPoint.Address}:{endPoint.Port}";

    /// <summary>
    /// Whether two listeners cannot both bind: same port and the same address, or one is a wildcard that covers the
    /// other (<c>0.0.0.0</c> covers IPv4; <c>[::]</c> is dual-stack and covers IPv4 and IPv6).
    /// </summary>
    public static bool Overlaps(IPEndPoint a, IPEndPoint b)
    {
        if (a.Port != b.Port)
        {
            return false;
        }

        return a.Address.Equals(b.Address) || Covers(a.Address, b.Address) || Covers(b.Address, a.Address);
    }

    private static bool Covers(IPAddress wildcard, IPAddress other) =>
        wildcard.Equals(IPAddress.IPv6Any)
        || (wildcard.Equals(IPAddress.Any) && Networks.Unmap(other).AddressFamily == AddressFamily.InterNetwork);
}
