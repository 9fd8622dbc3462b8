namespace Tarpit.Tarpits.Tls;

/// <summary>What <see cref="ClientHelloParser.Parse"/> made of the bytes so far.</summary>
internal enum TlsParseStatus
{
    /// <summary>A valid prefix of a ClientHello flight: wait for more bytes.</summary>
    Incomplete,

    /// <summary>A complete, well-formed ClientHello.</summary>
    Complete,

    /// <summary>Not a ClientHello: answer with the fatal alert in <see cref="TlsParseResult.Alert"/>.</summary>
    Invalid,
}
