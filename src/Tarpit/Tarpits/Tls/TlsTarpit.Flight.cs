using System.Security.Cryptography;

namespace Tarpit.Tarpits.Tls;

internal sealed partial class TlsTarpit
{
    /// <summary>RFC 5246 §7.1: ChangeCipherSpec { change_cipher_spec(1) }.</summary>
    private static readonly byte[] ChangeCipherSpecRecord = [TlsRecord.ChangeCipherSpec, 3, 3, 0, 1, 1];

    /// <summary>RFC 5246 §7.4.5: ServerHelloDone, an empty handshake message (type 14).</summary>
    private static readonly byte[] ServerHelloDoneRecord = [TlsRecord.Handshake, 3, 3, 0, 4, 14, 0, 0, 0];

    /// <summary>RFC 5246 §7.4.9 with AES-GCM (RFC 5288 §3): 8-byte explicit nonce, 16 bytes of Finished, 16-byte tag.</summary>
    private const int EncryptedFinishedLength = 8 + 16 + 16;

    /// <summary>OpenSSL's ticket: 16-byte key name, 16-byte IV, a ~150-byte encrypted state, a 32-byte HMAC.</summary>
    private const int TicketLength = 214;

    /// <summary>nginx <c>ssl_session_timeout</c> default, 5 minutes: the ticket_lifetime_hint OpenSSL sends.</summary>
    private const uint TicketLifetime = 300;

    /// <summary>RFC 8422 §5.4 ServerECDHParams signed with the certificate's key (RFC 5246 §7.4.3), ours a random share.</summary>
    private byte[] ServerKeyExchange(ClientHello hello, ReadOnlySpan<byte> serverRandom, Random random)
    {
        var group = hello.EcdheGroup;
        var keyLength = TlsGroups.KeyLength(group);
        var parameters = new byte[4 + keyLength];
        parameters[0] = 3; // named_curve
        parameters[1] = (byte)(group >> 8);
        parameters[2] = (byte)group;
        parameters[3] = (byte)keyLength;
        if (group == TlsGroups.X25519)
        {
            random.NextBytes(parameters.AsSpan(4));
        }
        else
        {
            _p256Point.CopyTo(parameters, 4);
        }

        byte[] signed = [.. hello.Random ?? new byte[32], .. serverRandom, .. parameters];
        var signature = _key.SignData(signed, HashAlgorithmName.SHA256, hello.RsaPss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
        var messageLength = parameters.Length + 2 + 2 + signature.Length;
        var record = new byte[TlsRecord.HeaderLength + TlsRecord.HandshakeHeaderLength + messageLength];
        var w = new SpanWriter(record);
        w.Skip(TlsRecord.WriteHeader(record, TlsRecord.Handshake, TlsRecord.Tls12, TlsRecord.HandshakeHeaderLength + messageLength));
        w.UInt8(12); // server_key_exchange
        w.UInt24(messageLength);
        w.Bytes(parameters);
        w.UInt16(hello.RsaPss ? (ushort)0x0804 : (ushort)0x0401); // rsa_pss_rsae_sha256 or rsa_pkcs1_sha256
        w.UInt16((ushort)signature.Length);
        w.Bytes(signature);
        return record;
    }

    /// <summary>
    /// TLS 1.3's first encrypted record (RFC 8446 §5.2), sized as OpenSSL's EncryptedExtensions for this client: inner
    /// type byte and 16-byte AEAD tag included; random bytes, since it is never completed.
    /// </summary>
    private static byte[] EncryptedExtensionsRecord(ClientHello hello, Random random)
    {
        var extensions = (hello.ServerName is not null ? 4 : 0) + (hello.AlpnHttp11 ? 15 : 0);
        var length = TlsRecord.HandshakeHeaderLength + 2 + extensions + 1 + 16;
        var record = new byte[TlsRecord.HeaderLength + length];
        TlsRecord.WriteHeader(record, TlsRecord.ApplicationData, TlsRecord.Tls12, length);
        random.NextBytes(record.AsSpan(TlsRecord.HeaderLength));
        return record;
    }

    /// <summary>
    /// What a TLS 1.2 server sends after the client's Finished: a NewSessionTicket when the ticket extension was
    /// answered (RFC 5077 §3.3), ChangeCipherSpec, and the encrypted Finished (random: it is never completed).
    /// </summary>
    private static byte[] ServerFinishedFlight(ClientHello hello, Random random)
    {
        var ticket = (hello.Extensions & ClientHelloExtensions.SessionTicket) != 0;
        var ticketRecordLength = ticket ? TlsRecord.HeaderLength + TlsRecord.HandshakeHeaderLength + 4 + 2 + TicketLength : 0;
        var flight = new byte[ticketRecordLength + ChangeCipherSpecRecord.Length + TlsRecord.HeaderLength + EncryptedFinishedLength];
        var w = new SpanWriter(flight);
        if (ticket)
        {
            w.Skip(TlsRecord.WriteHeader(flight, TlsRecord.Handshake, TlsRecord.Tls12, TlsRecord.HandshakeHeaderLength + 4 + 2 + TicketLength));
            w.UInt8(4); // new_session_ticket
            w.UInt24(4 + 2 + TicketLength);
            w.UInt16((ushort)(TicketLifetime >> 16));
            w.UInt16((ushort)TicketLifetime);
            w.UInt16(TicketLength);
            random.NextBytes(w.Take(TicketLength));
        }

        w.Bytes(ChangeCipherSpecRecord);
        var finished = w.Position;
        w.Skip(TlsRecord.WriteHeader(flight.AsSpan(finished), TlsRecord.Handshake, TlsRecord.Tls12, EncryptedFinishedLength));
        random.NextBytes(w.Take(EncryptedFinishedLength));
        return flight;
    }
}
