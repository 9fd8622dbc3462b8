using System.Buffers.Binary;

namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// The SERVER SSH_MSG_KEXINIT payload (RFC 4253 §7.1): the ten name-lists of the real sshd the tarpit stands in for
/// (read at start with <c>banner = "auto"</c>), or the built-in profile of a stock Debian 12 server, so the lists a
/// scanner records match the banner.
/// </summary>
internal static class KexInit
{
    /// <summary>RFC 4253 §7.1: <c>byte[16] cookie (random bytes)</c>, right after the message number.</summary>
    public const int CookieOffset = 1;

    public const int CookieLength = 16;

    /// <summary>RFC 4253 §7.1: kex, host key, two ciphers, two MACs, two compressions, two languages.</summary>
    public const int NameListCount = 10;

    /// <summary>
    /// Debian 12's sshd (OpenSSH 9.2p1-2+deb12u10) with its default host keys (RSA, ECDSA, Ed25519), as it sends them
    /// on the wire (ssh-audit and <c>sshd -T</c> agree): the kex list includes the Terrapin fix's
    /// <c>kex-strict-s-v00@openssh.com</c>, so <c>kex-hold</c> sends nothing a strict client would call a violation
    /// after it (no SSH_MSG_IGNORE: it drips the reply the client waits for, see <see cref="KexHoldStream"/>).
    /// </summary>
    public static readonly IReadOnlyList<string> Debian12 =
    [
        "sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,"
            + "ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,"
            + "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256,kex-strict-s-v00@openssh.com",
        "rsa-sha2-512,rsa-sha2-256,ecdsa-sha2-nistp256,ssh-ed25519",
        Ciphers,
        Ciphers,
        Macs,
        Macs,
        "none,zlib@openssh.com",
        "none,zlib@openssh.com",
        "",
        "",
    ];

    private const string Ciphers = "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com";

    /// <summary>OpenSSH's default MAC list, encrypt-then-MAC first.</summary>
    private const string Macs = "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
        + "hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1";

    /// <summary>The payload with a zero cookie; each connection gets its own cookie at <see cref="CookieOffset"/>.</summary>
    public static byte[] Payload(IReadOnlyList<string> nameLists)
    {
        ArgumentNullException.ThrowIfNull(nameLists);
        ArgumentOutOfRangeException.ThrowIfNotEqual(nameLists.Count, NameListCount);
        using var payload = new MemoryStream();
        payload.WriteByte(SshPacket.MessageKexInit);
        payload.Write(new byte[CookieLength]);
        foreach (var list in nameLists)
        {
            SshPacket.WriteNameList(payload, list);
        }

        payload.WriteByte(0);                             // first_kex_packet_follows = FALSE
        payload.Write(new byte[4]);                       // uint32 reserved = 0
        return payload.ToArray();
    }

    /// <summary>
    /// The ten name-lists of a real server's KEXINIT payload, or null with the reason: each list inside the payload,
    /// every name printable US-ASCII with no space or comma (RFC 4251 §6), no empty name (RFC 4251 §5).
    /// </summary>
    public static IReadOnlyList<string>? ParseNameLists(ReadOnlySpan<byte> payload, out string? problem)
    {
        problem = null;
        if (payload.Length < 1 + CookieLength || payload[0] != SshPacket.MessageKexInit)
        {
            problem = "the first packet is not a KEXINIT (RFC 4253 §7.1)";
            return null;
        }

        var lists = new string[NameListCount];
        var position = 1 + CookieLength;
        for (var i = 0; i < NameListCount; i++)
        {
            if (payload.Length - position < 4)
            {
                problem = $"its KEXINIT ends before name-list {i + 1}";
                return null;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(payload[position..]);
            position += 4;
            if (length > (uint)(payload.Length - position))
            {
                problem = $"its KEXINIT name-list {i + 1} runs past the packet";
                return null;
            }

            var names = payload.Slice(position, (int)length);
            position += (int)length;
            if (names.ContainsAnyExceptInRange((byte)'!', (byte)'~') || names.StartsWith(","u8) || names.EndsWith(","u8) || names.IndexOf(",,"u8) >= 0)
            {
                problem = $"its KEXINIT name-list {i + 1} is not a list of printable names (RFC 4251 §5, §6)";
                return null;
            }

            lists[i] = System.Text.Encoding.ASCII.GetString(names);
        }

        return lists;
    }
}
