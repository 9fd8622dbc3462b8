namespace Tarpit.Tarpits.Tls;

/// <summary>
/// What a TLS session sends a client: <see cref="Hello"/> (the records a server sends in answer to the ClientHello),
/// then <see cref="Stall"/> (records the client cannot judge before they are complete: an encrypted record, or the
/// server's NewSessionTicket, ChangeCipherSpec and encrypted Finished), of which the last byte is never sent.
/// </summary>
/// <param name="StallAfterClientFlight">TLS 1.2 full handshake: the stall follows the client's key exchange and Finished.</param>
internal sealed record ServerFlight(byte[] Hello, byte[] Stall, bool StallAfterClientFlight);
