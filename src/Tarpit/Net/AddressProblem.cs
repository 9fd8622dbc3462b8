namespace Tarpit.Net;

/// <summary>Why a text is not an address, as <see cref="AddressSyntax.Read"/> found it; the first problem found wins.</summary>
internal enum AddressProblem
{
    /// <summary>The text is an address.</summary>
    None,

    /// <summary>Nothing at all.</summary>
    Empty,

    /// <summary>Longer than <see cref="AddressSyntax.MaxAddressLength"/>.</summary>
    TooLong,

    /// <summary>Not a dotted quad nor IPv6 text: a host name, whitespace, too few or many parts, hex or shorthand IPv4.</summary>
    NotAnAddress,

    /// <summary>A dotted-quad part written with a leading zero (<c>010</c>): octal to inet_aton, decimal to others.</summary>
    LeadingZero,

    /// <summary>A dotted-quad part above 255.</summary>
    PartTooLarge,

    /// <summary>An IPv6 zone id (<c>%eth0</c>, RFC 4007 §11): it names an interface, not part of the address.</summary>
    ZoneId,
}
