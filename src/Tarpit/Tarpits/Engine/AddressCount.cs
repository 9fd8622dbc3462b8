using System.Net;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// Held connections from one client address, and the one <see cref="IPAddress"/> instance all of them refer to: a
/// client holding many connections costs one address object, not one per connection.
/// </summary>
internal struct AddressCount
{
    public IPAddress Address;

    public int Count;
}
