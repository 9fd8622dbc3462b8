using System.Collections.Frozen;

namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// The server's SSH_MSG_KEXDH_REPLY (RFC 4253 §8: <c>string K_S, mpint f, string signature of H</c>) for a client that
/// negotiated a fixed finite-field group, as sshd sends it at once after the client's KEXDH_INIT: the tarpit's public
/// host key (<see cref="SshHostKeys"/>), an <c>f</c> of the group's size below its prime, and a signature of the right
/// algorithm and shape. <c>f</c> and the signature are random, not computed: what reads a host key (nmap's
/// <c>ssh-hostkey</c>) checks neither; a client that verifies the exchange hash would see a bad signature, but none
/// negotiates these groups by default. No NEWKEYS follows: the client is held waiting for it.
/// </summary>
internal static class KexDhReply
{
    /// <summary>RFC 4253 §8: SSH_MSG_KEXDH_REPLY.</summary>
    public const byte MessageKexDhReply = 31;

    /// <summary>
    /// The size of each fixed group's prime (RFC 4253 §8.1-8.2, RFC 8268 §3). Every one of these primes begins with 64
    /// one bits, so an <c>f</c> of this many bytes whose first byte is below 0xFF is below the prime.
    /// </summary>
    private static readonly FrozenDictionary<string, int> Groups = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["diffie-hellman-group1-sha1"] = 1024 / 8,
        ["diffie-hellman-group14-sha1"] = 2048 / 8,
        ["diffie-hellman-group14-sha256"] = 2048 / 8,
        ["diffie-hellman-group15-sha512"] = 3072 / 8,
        ["diffie-hellman-group16-sha512"] = 4096 / 8,
        ["diffie-hellman-group17-sha512"] = 6144 / 8,
        ["diffie-hellman-group18-sha512"] = 8192 / 8,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The prime's size in bytes for a fixed-group key exchange; 0 for any other.</summary>
    public static int GroupBytes(string kex) => Groups.GetValueOrDefault(kex);

    /// <summary>The whole reply packet (framed, padded with random bytes).</summary>
    public static byte[] Packet(string kex, string hostKeyAlgorithm, SshHostKeys keys, Random random)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(random);
        var groupBytes = GroupBytes(kex);
        ArgumentOutOfRangeException.ThrowIfZero(groupBytes);
        using var payload = new MemoryStream();
        payload.WriteByte(MessageKexDhReply);
        SshWire.WriteString(payload, keys.Blob(hostKeyAlgorithm));
        var f = new byte[groupBytes];
        random.NextBytes(f);
        f[0] = (byte)random.Next(0x80, 0xFF);
        SshWire.WriteMpint(payload, f);
        SshWire.WriteString(payload, Signature(hostKeyAlgorithm, random));
        var packet = SshPacket.Frame(payload.ToArray());
        random.NextBytes(packet.AsSpan(packet.Length - packet[4]));
        return packet;
    }

    /// <summary>RFC 5656 §3.1.2 (<c>string "ecdsa-sha2-nistp256", string (mpint r, mpint s)</c>) or RFC 8709 §6 (64 bytes).</summary>
    private static byte[] Signature(string hostKeyAlgorithm, Random random)
    {
        using var signature = new MemoryStream();
        SshWire.WriteString(signature, hostKeyAlgorithm);
        if (hostKeyAlgorithm == SshHostKeys.EcdsaP256)
        {
            using var rs = new MemoryStream();
            var scalar = new byte[32];
            random.NextBytes(scalar);
            SshWire.WriteMpint(rs, scalar);
            random.NextBytes(scalar);
            SshWire.WriteMpint(rs, scalar);
            SshWire.WriteString(signature, rs.ToArray());
        }
        else
        {
            var ed = new byte[64];
            random.NextBytes(ed);
            SshWire.WriteString(signature, ed);
        }

        return signature.ToArray();
    }
}
