namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// The SERVER SSH_MSG_KEXINIT payload (RFC 4253 §7.1) of a stock Debian 12 OpenSSH 9.2p1 server, so the algorithm
/// lists a scanner records match the banner.
/// </summary>
internal static class KexInit
{
    /// <summary>RFC 4253 §7.1: <c>byte[16] cookie (random bytes)</c>, right after the message number.</summary>
    public const int CookieOffset = 1;

    public const int CookieLength = 16;

    /// <summary>
    /// OpenSSH 9.2's default server KEX list. Debian's Terrapin fix adds <c>kex-strict-s-v00@openssh.com</c>, but it is
    /// left out on purpose: under strict KEX a client must disconnect on any SSH_MSG_IGNORE before NEWKEYS (OpenSSH:
    /// "strict KEX violation: unexpected packet type 2"), which would end the hold on the first drip.
    /// </summary>
    public static readonly IReadOnlyList<string> KexAlgorithms =
    [
        "sntrup761x25519-sha512@openssh.com",
        "curve25519-sha256",
        "curve25519-sha256@libssh.org",
        "ecdh-sha2-nistp256",
        "ecdh-sha2-nistp384",
        "ecdh-sha2-nistp521",
        "diffie-hellman-group-exchange-sha256",
        "diffie-hellman-group16-sha512",
        "diffie-hellman-group18-sha512",
        "diffie-hellman-group14-sha256",
    ];

    /// <summary>The signature algorithms of Debian's default host keys (RSA, ECDSA, Ed25519).</summary>
    public static readonly IReadOnlyList<string> HostKeyAlgorithms =
        ["rsa-sha2-512", "rsa-sha2-256", "ecdsa-sha2-nistp256", "ssh-ed25519"];

    public static readonly IReadOnlyList<string> Ciphers =
    [
        "chacha20-poly1305@openssh.com",
        "aes128-ctr",
        "aes192-ctr",
        "aes256-ctr",
        "aes128-gcm@openssh.com",
        "aes256-gcm@openssh.com",
    ];

    /// <summary>OpenSSH's default MAC list, encrypt-then-MAC first.</summary>
    public static readonly IReadOnlyList<string> Macs =
    [
        "umac-64-etm@openssh.com",
        "umac-128-etm@openssh.com",
        "hmac-sha2-256-etm@openssh.com",
        "hmac-sha2-512-etm@openssh.com",
        "hmac-sha1-etm@openssh.com",
        "umac-64@openssh.com",
        "umac-128@openssh.com",
        "hmac-sha2-256",
        "hmac-sha2-512",
        "hmac-sha1",
    ];

    public static readonly IReadOnlyList<string> Compression = ["none", "zlib@openssh.com"];

    /// <summary>The payload with a zero cookie; each connection gets its own cookie at <see cref="CookieOffset"/>.</summary>
    public static byte[] Payload()
    {
        using var payload = new MemoryStream();
        payload.WriteByte(SshPacket.MessageKexInit);
        payload.Write(new byte[CookieLength]);
        SshPacket.WriteNameList(payload, KexAlgorithms);
        SshPacket.WriteNameList(payload, HostKeyAlgorithms);
        SshPacket.WriteNameList(payload, Ciphers);        // client to server
        SshPacket.WriteNameList(payload, Ciphers);        // server to client
        SshPacket.WriteNameList(payload, Macs);
        SshPacket.WriteNameList(payload, Macs);
        SshPacket.WriteNameList(payload, Compression);
        SshPacket.WriteNameList(payload, Compression);
        SshPacket.WriteNameList(payload, []);             // languages client to server
        SshPacket.WriteNameList(payload, []);             // languages server to client
        payload.WriteByte(0);                             // first_kex_packet_follows = FALSE
        payload.Write(new byte[4]);                       // uint32 reserved = 0
        return payload.ToArray();
    }
}
