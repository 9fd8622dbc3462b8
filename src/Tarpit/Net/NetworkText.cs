using System.Globalization;
using System.Net;
using System.Text;

namespace Tarpit.Net;

/// <summary>
/// The one strict parser and formatter of <c>ADDR[/PREFIX]</c>, for every text a person or another program gives us:
/// config (<c>firewall.allow</c>), the verbs (<c>ban</c>/<c>unban</c> targets, also what fail2ban passes from a log
/// line), code literals and the store's keys. Addresses as <see cref="AddressSyntax"/> reads them; a prefix of decimal
/// digits without leading zeros, 0-32 or 0-128; no host bits below the prefix (the error names the network meant).
/// IPv4-mapped IPv6 (<c>::ffff:10.0.0.3</c>, also <c>::ffff:10.0.0.0/104</c>) is returned as IPv4, with
/// <c>mapped</c> set so config can say so. Log lines use <see cref="LogAddress"/>, which shares the address reader.
/// </summary>
internal static partial class NetworkText
{
    /// <summary>The longest text: the longest address (<see cref="AddressSyntax.MaxAddressLength"/>, RFC 4291 §2.2) and <c>/128</c>.</summary>
    public const int MaxLength = AddressSyntax.MaxAddressLength + 4;

    /// <summary>A prefix length has at most three digits (<c>/128</c>).</summary>
    private const int MaxPrefixDigits = 3;

    public const string Allowed = "an address like \"192.0.2.7\" or \"2001:db8::7\", or a network like \"192.0.2.0/24\" or \"2001:db8::/32\"";

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> is one sentence: what was found, what is allowed, how to fix it.</summary>
    public static bool TryParse(string? text, NetworkTextStyle style, out IPNetwork network, out string error) =>
        TryParse(text, style, out network, out _, out error);

    /// <summary>As <see cref="TryParse(string?, NetworkTextStyle, out IPNetwork, out string)"/>; <paramref name="mapped"/> tells that IPv4-mapped IPv6 text became IPv4.</summary>
    public static bool TryParse(string? text, NetworkTextStyle style, out IPNetwork network, out bool mapped, out string error)
    {
        ArgumentNullException.ThrowIfNull(style);
        network = default;
        mapped = false;
        error = string.Empty;
        if (string.IsNullOrEmpty(text))
        {
            error = $"{style.Found(text ?? string.Empty)} is empty; expected {Allowed}";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"{style.Found(text)} is not an IP address or network: it is {text.Length} characters long, and the longest, a full IPv6 address with an IPv4 tail and a prefix, is {MaxLength} (RFC 4291 §2.2)";
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text.AsSpan() : text.AsSpan(0, slash);
        var problem = AddressSyntax.Read(addressText, out var read);
        if (problem != AddressProblem.None)
        {
            error = AddressError(text, slash, problem, style);
            return false;
        }

        var address = read!;
        var full = Networks.FullPrefixLength(address);
        var prefix = full;
        if (slash >= 0 && !TryReadPrefix(text.AsSpan(slash + 1), full, out prefix, out var leadingZero))
        {
            error = leadingZero
                ? $"{style.Found(text)} has an invalid prefix length: leading zeros are not allowed; write {style.Fix(string.Concat(addressText, "/", prefix.ToString(CultureInfo.InvariantCulture)))}"
                : $"{style.Found(text)} has an invalid prefix length; allowed /0-/{full} for this address family";
            return false;
        }

        var masked = Networks.Containing(address, prefix);
        if (!masked.BaseAddress.Equals(address))
        {
            error = $"{style.Found(text)} has host bits set after the /{prefix} prefix; did you mean {style.Fix(Format(Networks.Unmap(masked)))} (the network) or {style.Fix(Networks.Unmap(address).ToString())} (one address)?";
            return false;
        }

        network = Networks.Unmap(masked);
        mapped = address.IsIPv4MappedToIPv6;
        return true;
    }

    /// <summary>Parses a text known to be valid (a default, a constant, a key we wrote); throws <see cref="FormatException"/> otherwise.</summary>
    public static IPNetwork Parse(string text) =>
        TryParse(text, NetworkTextStyle.Literal, out var network, out var error) ? network : throw new FormatException(error);

    /// <summary>
    /// Parses a single address (no prefix) as written, for socket addresses such as a listen address, where
    /// <c>::ffff:192.0.2.7</c> is a real IPv6 bind address and stays one; networks and bans use <see cref="TryParse(string?, NetworkTextStyle, out IPNetwork, out string)"/>.
    /// </summary>
    public static AddressProblem TryParseAddress(ReadOnlySpan<char> text, out IPAddress address)
    {
        var problem = AddressSyntax.Read(text, out var read);
        address = read ?? IPAddress.None;
        return problem;
    }

    /// <summary>Text for people, as <c>list</c>, logs, nft and the config printer write it: <c>192.0.2.7</c> for a host, <c>192.0.2.0/24</c> otherwise.</summary>
    public static string Format(IPNetwork network) =>
        Networks.IsHost(network) ? network.BaseAddress.ToString() : network.ToString();

    /// <summary>As <see cref="Format"/>, appended to <paramref name="builder"/> without a string of its own (an nft batch of 100,000 elements).</summary>
    public static StringBuilder AppendTo(StringBuilder builder, IPNetwork network)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Networks.IsHost(network)
            ? builder.Append(CultureInfo.InvariantCulture, $"{network.BaseAddress}")
            : builder.Append(CultureInfo.InvariantCulture, $"{network}");
    }

    /// <summary>The note config gives for an IPv4-mapped entry that <see cref="TryParse(string?, NetworkTextStyle, out IPNetwork, out bool, out string)"/> made IPv4.</summary>
    public static string MappedNote(string text, IPNetwork network, NetworkTextStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        return $"{style.Found(text)} is an IPv4-mapped IPv6 address; it is kept as the IPv4 network {style.Fix(Format(network))}, which is what IPv4 packets and bans match; write that to silence this note";
    }
}
