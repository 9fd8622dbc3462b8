using System.Buffers.Binary;
using System.Text;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Ssh;

namespace Tarpit.Tests.Tarpits.Ssh;

/// <summary>kex-hold's answer to a client that negotiates a fixed finite-field group (nmap's ssh-hostkey), and to all others.</summary>
public sealed class KexDhAnswerTests
{
    /// <summary>nmap 7.93's ssh2.lua <c>fetch_host_key</c>: its kex list, one host key type.</summary>
    private const string NmapKex = "diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,diffie-hellman-group14-sha256,"
        + "diffie-hellman-group16-sha512,diffie-hellman-group-exchange-sha1,diffie-hellman-group-exchange-sha256";

    private const string OpenSshKex = "sntrup761x25519-sha512@openssh.com,curve25519-sha256,ecdh-sha2-nistp256,diffie-hellman-group14-sha256,kex-strict-c-v00@openssh.com";

    private static readonly string[] ServerKex = KexInit.Debian12[0].Split(',');

    private static readonly string[] ServerHostKeys = KexInit.Debian12[1].Split(',');

    [Theory]
    [InlineData("ecdsa-sha2-nistp256")]
    [InlineData("ssh-ed25519")]
    public void Nmap_ssh_hostkey_gets_a_whole_KEXDH_REPLY_with_the_host_key_it_asked_for_at_once(string hostKey)
    {
        var session = SshSessionTesting.Open(SshTestConfig.Create("kex-hold"));
        var harness = new SessionHarness();
        harness.Step(session);

        var (waiting, kexInit) = harness.Step(session, Client(NmapKex, hostKey, withInit: false));
        var (step, reply) = harness.Step(session, KexDhInit(256));

        Assert.Equal(SessionStepKind.AwaitInput, waiting.Kind);
        Assert.Equal(SshPacket.MessageKexInit, new SshWireReader(kexInit).ReadPacket()[0]);
        Assert.Equal(SessionStepKind.After, step.Kind);
        var payload = new SshWireReader(reply).ReadPacket();
        Assert.Equal(KexDhReply.MessageKexDhReply, payload[0]);
        var offset = 1;
        var blob = ReadString(payload, ref offset);
        var f = ReadString(payload, ref offset);
        var signature = ReadString(payload, ref offset);
        Assert.Equal(payload.Length, offset);
        var blobOffset = 0;
        Assert.Equal(hostKey, Encoding.ASCII.GetString(ReadString(blob, ref blobOffset)));
        Assert.InRange(f.Length, 256, 257);
        var signatureOffset = 0;
        Assert.Equal(hostKey, Encoding.ASCII.GetString(ReadString(signature, ref signatureOffset)));
        Assert.Empty(harness.Step(session).Written);
    }

    [Fact]
    public void An_SSH_1_5_client_is_told_Protocol_major_versions_differ_and_closed_like_by_sshd()
    {
        var session = SshSessionTesting.Open(SshTestConfig.Create("kex-hold"));
        var harness = new SessionHarness();
        harness.Step(session);

        var (step, answer) = harness.Step(session, "SSH-1.5-Nmap-SSH1-Hostkey\r\n"u8);

        Assert.Equal(SessionStepKind.Close, step.Kind);
        Assert.Equal("Protocol major versions differ.\r\n", Encoding.ASCII.GetString(answer));
    }

    [Theory]
    [InlineData("SSH-2.0-x")]
    [InlineData("SSH-1.99-x")]
    public void Protocol_2_0_and_1_99_go_on_to_the_KEXINIT(string line)
    {
        var reader = new ClientKexReader(ServerKex, ServerHostKeys);

        Assert.Equal(ClientKexReading.Incomplete, reader.Feed(Encoding.ASCII.GetBytes(line + "\r\n")));
    }

    [Fact]
    public void Two_scans_of_one_tarpit_see_the_same_host_key()
    {
        var mode = SshModes.Create(SshTestConfig.Create("kex-hold"));

        var first = ReplyBlob(mode, 1);
        var second = ReplyBlob(mode, 2);

        Assert.Equal(first, second);
    }

    [Fact]
    public void OpenSSH_which_negotiates_sntrup761_gets_the_dripped_reply()
    {
        var config = SshTestConfig.Create("kex-hold");
        var session = SshSessionTesting.Open(config);
        var harness = new SessionHarness();
        harness.Step(session);

        harness.Step(session, Client(OpenSshKex, "ssh-ed25519,ecdsa-sha2-nistp256", withInit: true));
        var (step, written) = harness.Step(session);

        Assert.Equal(SessionStepKind.After, step.Kind);
        Assert.Equal(config.DripBytes, written.Length);
    }

    [Fact]
    public void Client_KEXINIT_fed_a_byte_at_a_time_is_read_like_one_read()
    {
        var reader = new ClientKexReader(ServerKex, ServerHostKeys);
        var bytes = Client(NmapKex, "ssh-ed25519", withInit: true);

        var results = bytes.Select(b => reader.Feed([b])).ToList();

        Assert.All(results[..^1], r => Assert.Equal(ClientKexReading.Incomplete, r));
        Assert.Equal(ClientKexReading.DhInitReceived, results[^1]);
        Assert.Equal("diffie-hellman-group14-sha256", reader.Kex);
        Assert.Equal("ssh-ed25519", reader.HostKey);
    }

    [Fact]
    public void A_host_key_without_a_kept_blob_is_not_answered()
    {
        var reader = new ClientKexReader(ServerKex, ServerHostKeys);

        Assert.Equal(ClientKexReading.NotAnswered, reader.Feed(Client(NmapKex, "rsa-sha2-512", withInit: true)));
    }

    [Theory]
    [InlineData(ClientKexReader.MaxLineLength, true)]
    [InlineData(ClientKexReader.MaxLineLength + 1, false)]
    public void The_identification_line_is_read_up_to_RFC_4253s_255_bytes(int length, bool stillReading)
    {
        var reader = new ClientKexReader(ServerKex, ServerHostKeys);
        var line = Encoding.ASCII.GetBytes("SSH-2.0-" + new string('x', length - 10) + "\r\n");

        Assert.Equal(stillReading ? ClientKexReading.Incomplete : ClientKexReading.NotAnswered, reader.Feed(line));
    }

    [Theory]
    [InlineData(ClientKexReader.MaxPacketLength - 4, true)]
    [InlineData(ClientKexReader.MaxPacketLength - 3, false)]
    public void A_packet_is_read_up_to_RFC_4253s_35000_bytes(int packetLength, bool stillReading)
    {
        var reader = new ClientKexReader(ServerKex, ServerHostKeys);
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)packetLength);
        header[4] = 4;

        Assert.Equal(stillReading ? ClientKexReading.Incomplete : ClientKexReading.NotAnswered, reader.Feed([.. "SSH-2.0-x\r\n"u8, .. header]));
    }

    [Fact]
    public void Name_lists_past_the_kept_prefix_are_not_answered()
    {
        var reader = new ClientKexReader(ServerKex, ServerHostKeys);
        var longKex = string.Join(',', Enumerable.Range(0, 200).Select(i => $"x{i}@example.com")) + ",diffie-hellman-group14-sha256";

        Assert.True(longKex.Length > ClientKexReader.MaxKexInitPrefix);
        Assert.Equal(ClientKexReading.NotAnswered, reader.Feed(Client(longKex, "ssh-ed25519", withInit: true)));
    }

    internal static byte[] ReplyBlob(ITarpitMode mode, long connectionId, string hostKey = "ecdsa-sha2-nistp256")
    {
        var session = mode.Open(new SessionOpen(connectionId, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40000), null));
        var harness = new SessionHarness();
        harness.Step(session);
        harness.Step(session, Client(NmapKex, hostKey, withInit: true));
        var (_, reply) = harness.Step(session);
        var payload = new SshWireReader(reply).ReadPacket();
        var offset = 1;
        return ReadString(payload, ref offset);
    }

    /// <summary>A client's identification line and KEXINIT (as nmap's ssh2.lua builds it), optionally its KEXDH_INIT.</summary>
    private static byte[] Client(string kex, string hostKeys, bool withInit)
    {
        using var payload = new MemoryStream();
        payload.WriteByte(SshPacket.MessageKexInit);
        payload.Write(new byte[KexInit.CookieLength]);
        foreach (var list in new[] { kex, hostKeys, "aes128-ctr", "aes128-ctr", "hmac-sha1", "hmac-sha1", "none", "none", "", "" })
        {
            SshPacket.WriteNameList(payload, list);
        }

        payload.Write(new byte[5]);
        byte[] bytes = [.. "SSH-2.0-Nmap-SSH2-Hostkey\r\n"u8, .. SshPacket.Frame(payload.ToArray())];
        return withInit ? [.. bytes, .. KexDhInit(256)] : bytes;
    }

    /// <summary>SSH_MSG_KEXDH_INIT with an e of <paramref name="bytes"/> bytes.</summary>
    private static byte[] KexDhInit(int bytes)
    {
        using var payload = new MemoryStream();
        payload.WriteByte(ClientKexReader.MessageKexDhInit);
        var e = new byte[bytes];
        Random.Shared.NextBytes(e);
        SshWire.WriteMpint(payload, e);
        return SshPacket.Frame(payload.ToArray());
    }

    private static byte[] ReadString(byte[] bytes, ref int offset)
    {
        var length = (int)SshWireReader.ReadUInt32(bytes, ref offset);
        var value = bytes.AsSpan(offset, length).ToArray();
        offset += length;
        return value;
    }
}
