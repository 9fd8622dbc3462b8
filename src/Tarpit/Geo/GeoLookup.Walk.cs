using System.Net;
using Tarpit.Net;

namespace Tarpit.Geo;

internal sealed partial class GeoLookup
{
    /// <summary>Most lookups one walk may make (<see cref="GeoLookupOptions.DefaultMaxWalkSteps"/>).</summary>
    public int MaxWalkSteps { get; }

    /// <summary>
    /// The first network of the <paramref name="role"/> database that overlaps <paramref name="range"/> and whose
    /// record satisfies <paramref name="matches"/>, walking the database's networks inside the range in order, at most
    /// <see cref="MaxWalkSteps"/> of them; null when that database is not loaded (or its data cannot be read).
    /// </summary>
    public GeoNetworkMatch? FindInside(IPNetwork range, GeoDatabaseRole role, Func<GeoInfo, bool> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var file = role is GeoDatabaseRole.Asn ? _asn : _location;
        if (_disposed || file is null)
        {
            return null;
        }

        var unmapped = Networks.Unmap(range);
        return file.Query(unmapped.BaseAddress, (handle, _) => Walk(handle, role, unmapped, matches, MaxWalkSteps));
    }

    private static GeoNetworkMatch Walk(GeoReaderHandle handle, GeoDatabaseRole role, IPNetwork range, Func<GeoInfo, bool> matches, int maxSteps)
    {
        var address = range.BaseAddress;
        for (var step = 1; step <= maxSteps; step++)
        {
            var info = role is GeoDatabaseRole.Asn
                ? FindAsn(handle, address, out var prefixLength)
                : FindLocation(handle, address, out prefixLength);
            var network = Networks.Containing(address, prefixLength);
            if (info is not null && matches(info))
            {
                return new GeoNetworkMatch(network, info, false, step);
            }

            if (Networks.After(Networks.LastAddress(network)) is not { } next || !range.Contains(next))
            {
                return new GeoNetworkMatch(null, null, false, step);
            }

            address = next;
        }

        return new GeoNetworkMatch(null, null, true, maxSteps);
    }
}
