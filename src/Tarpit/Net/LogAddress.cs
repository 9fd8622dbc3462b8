using System.Net;
using System.Runtime.CompilerServices;

namespace Tarpit.Net;

/// <summary>
/// The log-text variant of <see cref="NetworkText"/>: the address a log line names (<c>from 192.0.2.7 port 22</c>), read
/// as strictly as config and verbs read theirs, on the hot path. A text that is not a plain address charges nobody:
/// <c>192.168.001.010</c> (leading zeros), <c>10.1</c>, <c>fe80::1%eth0</c> (zone id), and anything with a <c>/</c>, as
/// log lines name hosts, never networks; so there are no host bits to check. IPv4-mapped IPv6 (<c>::ffff:192.0.2.7</c>,
/// a dual-stack sshd's view of an IPv4 client) is IPv4, so both spellings count against the same address.
/// </summary>
internal static class LogAddress
{
    /// <summary>Parses <paramref name="text"/>; no allocation beyond the <see cref="IPAddress"/>, no regex.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<char> text, out IPAddress address)
    {
        if (AddressSyntax.Read(text, out var read) != AddressProblem.None)
        {
            address = IPAddress.None;
            return false;
        }

        address = Networks.Unmap(read!);
        return true;
    }
}
