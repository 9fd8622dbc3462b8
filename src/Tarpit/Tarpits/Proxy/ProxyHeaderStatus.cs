namespace Tarpit.Tarpits.Proxy;

/// <summary>What the bytes seen so far make of a PROXY protocol header.</summary>
internal enum ProxyHeaderStatus : byte
{
    /// <summary>A valid prefix of a header: wait for more.</summary>
    Incomplete,

    /// <summary>A whole, valid header (<see cref="ProxyHeader.Length"/> bytes).</summary>
    Complete,

    /// <summary>Not a PROXY header, or a broken one: the connection is closed (as HAProxy and nginx do).</summary>
    Invalid,
}
