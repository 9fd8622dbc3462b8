using System.Net;
using System.Text.Json;
using Tarpit.Net;

namespace Tarpit.Firewall;

/// <summary>
/// Reads the offender sets out of <c>nft -j list table inet TABLE</c>. nft writes an element as a plain value
/// (<c>"192.0.2.2"</c>), a prefix object (<c>{"prefix": {"addr": …, "len": 24}}</c>), or, when it has a timeout,
/// wraps either in <c>{"elem": {"val": …, "timeout": 3600, "expires": 3599}}</c> (seconds).
/// </summary>
internal static class NftJson
{
    public static IReadOnlyList<FirewallElement> ParseOffenders(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var elements = new List<FirewallElement>();
        if (!document.RootElement.TryGetProperty("nftables", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("nft -j output has no \"nftables\" array.");
        }

        foreach (var item in items.EnumerateArray())
        {
            if (!item.TryGetProperty("set", out var set)
                || !set.TryGetProperty("name", out var name)
                || name.GetString() is not (NftNames.OffendersV4 or NftNames.OffendersV6 or NftNames.OffenderNetsV4 or NftNames.OffenderNetsV6)
                || !set.TryGetProperty("elem", out var elems))
            {
                continue;
            }

            foreach (var elem in elems.EnumerateArray())
            {
                if (ParseElement(elem) is { } element)
                {
                    elements.Add(element);
                }
            }
        }

        return elements;
    }

    private static FirewallElement? ParseElement(JsonElement elem)
    {
        if (elem.ValueKind == JsonValueKind.Object && elem.TryGetProperty("elem", out var wrapped))
        {
            var target = wrapped.TryGetProperty("val", out var val) ? ParseValue(val) : null;
            return target is { } network
                ? new FirewallElement(network, Seconds(wrapped, "timeout"), Seconds(wrapped, "expires"))
                : null;
        }

        return ParseValue(elem) is { } plain ? new FirewallElement(plain, null, null) : null;
    }

    private static IPNetwork? ParseValue(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String && NetworkText.TryParseAddress(value.GetString(), out var address) == AddressProblem.None)
        {
            return new IPNetwork(address, Networks.FullPrefixLength(address));
        }

        if (value.ValueKind == JsonValueKind.Object
            && value.TryGetProperty("prefix", out var prefix)
            && prefix.TryGetProperty("addr", out var addr)
            && prefix.TryGetProperty("len", out var len)
            && NetworkText.TryParseAddress(addr.GetString(), out var baseAddress) == AddressProblem.None
            && len.TryGetInt32(out var length)
            && length >= 0 && length <= Networks.FullPrefixLength(baseAddress)
            && Networks.Mask(baseAddress, length).Equals(baseAddress))
        {
            return new IPNetwork(baseAddress, length);
        }

        return null;
    }

    private static TimeSpan? Seconds(JsonElement elem, string property) =>
        elem.TryGetProperty(property, out var value) && value.TryGetInt64(out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
