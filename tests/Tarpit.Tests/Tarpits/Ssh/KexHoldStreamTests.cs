using System.Buffers.Binary;
using System.Text;
using Tarpit.Tarpits.Ssh;

namespace Tarpit.Tests.Tarpits.Ssh;

public sealed class KexHoldStreamTests
{
    private const string Banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10";

    private static readonly KexHoldStream Stream = new(Encoding.ASCII.GetBytes(Banner + "\r\n"), KexInit.Payload(KexInit.Debian12));

    [Fact]
    public void Stream_starts_with_the_banner_then_a_well_formed_server_KEXINIT()
    {
        var reader = new SshWireReader(Read(seed: 1, offset: 0, count: Stream.KexInitEnd));

        var line = reader.ReadLine();
        var payload = reader.ReadPacket();

        Assert.Equal(Banner, line);
        Assert.Equal(Banner.Length + 2, Stream.IdentificationLength);
        Assert.Equal(0, reader.Remaining);
        Assert.Equal(20, payload[0]);
        var offset = 1 + 16;
        for (var i = 0; i < KexInit.NameListCount; i++)
        {
            Assert.Equal(KexInit.Debian12[i], string.Join(',', SshWireReader.ReadNameList(payload, ref offset)));
        }

        Assert.Equal(0, payload[offset++]);
        Assert.Equal(0u, SshWireReader.ReadUInt32(payload, ref offset));
        Assert.Equal(payload.Length, offset);
    }

    [Fact]
    public void The_built_in_KEXINIT_is_Debian_12s_sshd_with_both_sntrup_names_and_strict_kex()
    {
        var kex = KexInit.Debian12[0].Split(',');

        Assert.Equal(["sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com", "curve25519-sha256"], kex[..3]);
        Assert.Equal("kex-strict-s-v00@openssh.com", kex[^1]);
        Assert.Equal(12, kex.Length);
        Assert.Equal("rsa-sha2-512,rsa-sha2-256,ecdsa-sha2-nistp256,ssh-ed25519", KexInit.Debian12[1]);
        Assert.StartsWith("chacha20-poly1305@openssh.com,", KexInit.Debian12[2], StringComparison.Ordinal);
        Assert.StartsWith("umac-64-etm@openssh.com,", KexInit.Debian12[4], StringComparison.Ordinal);
    }

    [Fact]
    public void Each_connection_gets_its_own_cookie_and_padding()
    {
        var cookieAt = Stream.IdentificationLength + 5 + 1;
        var a = Read(SshNoise.Seed(9, 1), 0, Stream.KexInitEnd);
        var b = Read(SshNoise.Seed(9, 2), 0, Stream.KexInitEnd);

        Assert.NotEqual(a.AsSpan(cookieAt, 16).ToArray(), b.AsSpan(cookieAt, 16).ToArray());
        Assert.NotEqual(a.AsSpan(Stream.KexInitEnd - 4, 4).ToArray(), b.AsSpan(Stream.KexInitEnd - 4, 4).ToArray());
        Assert.Equal(a.AsSpan(0, cookieAt).ToArray(), b.AsSpan(0, cookieAt).ToArray());
    }

    [Fact]
    public void After_KEXINIT_comes_a_key_exchange_reply_that_stops_one_byte_short()
    {
        var reply = Read(seed: 5, offset: Stream.KexInitEnd, count: Stream.Length - Stream.KexInitEnd);
        var packetLength = BinaryPrimitives.ReadUInt32BigEndian(reply);

        Assert.Equal(KexHoldStream.ReplyPacketLength - 4, (int)packetLength);
        Assert.Equal(0, KexHoldStream.ReplyPacketLength % 8);
        Assert.InRange(reply[4], 4, 255);
        Assert.Equal(KexHoldStream.MessageKexReply, reply[5]);
        Assert.Equal(KexHoldStream.ReplyPacketLength - 1, reply.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1000)]
    public void Dripping_in_chunks_yields_exactly_the_bytes_of_one_write(int chunk)
    {
        var total = Stream.Length;
        var whole = Read(seed: 77, offset: 0, count: total);
        var dripped = new byte[total];

        for (var offset = 0; offset < total; offset += chunk)
        {
            Stream.Write(77, offset, dripped.AsSpan(offset, Math.Min(chunk, total - offset)));
        }

        Assert.Equal(whole, dripped);
    }

    [Fact]
    public void Nothing_is_written_past_the_end()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Read(seed: 1, offset: Stream.Length - 1, count: 2));
    }

    private static byte[] Read(ulong seed, int offset, int count)
    {
        var bytes = new byte[count];
        Stream.Write(seed, offset, bytes);
        return bytes;
    }
}
