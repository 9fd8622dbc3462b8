using System.Net;

namespace Tarpit.Geo;

/// <summary>
/// What a walk of one database over a range found (<see cref="GeoLookup.FindInside"/>): the first network whose record
/// matched, with that record; or none; or that the range holds more networks than the walk may visit.
/// </summary>
/// <param name="Steps">Lookups the walk made: one per database network (or empty stretch) it crossed.</param>
internal sealed record GeoNetworkMatch(IPNetwork? Network, GeoInfo? Info, bool TooManyNetworks, int Steps)
{
    public bool Found => Network is not null;
}
