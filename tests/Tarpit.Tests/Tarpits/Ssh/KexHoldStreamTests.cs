using System.Text;
using Tarpit.Tarpits.Ssh;

namespace Tarpit.Tests.Tarpits.Ssh;

public sealed class KexHoldStreamTests
{
    private const string Banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3";

    private static readonly KexHoldStream Stream = new(Encoding.ASCII.GetBytes(Banner + "\r\n"));

    [Fact]
    public void Stream_starts_with_the_banner_then_a_well_formed_server_KEXINIT()
    {
        var reader = new SshWireReader(Read(seed: 1, offset: 0, count: Stream.PrefixLength));

        var line = reader.ReadLine();
        var payload = reader.ReadPacket();

        Assert.Equal(Banner, line);
        Assert.Equal(Banner.Length + 2, Stream.IdentificationLength);
        Assert.Equal(0, reader.Remaining);
        Assert.Equal(20, payload[0]);
        var offset = 1 + 16;
        Assert.Equal(KexInit.KexAlgorithms, SshWireReader.ReadNameList(payload, ref offset));
        Assert.Equal(["rsa-sha2-512", "rsa-sha2-256", "ecdsa-sha2-nistp256", "ssh-ed25519"], SshWireReader.ReadNameList(payload, ref offset));
        Assert.Equal(KexInit.Ciphers, SshWireReader.ReadNameList(payload, ref offset));
        Assert.Equal(KexInit.Ciphers, SshWireReader.ReadNameList(payload, ref offset));
        Assert.Equal(KexInit.Macs, SshWireReader.ReadNameList(payload, ref offset));
        Assert.Equal(KexInit.Macs, SshWireReader.ReadNameList(payload, ref offset));
        Assert.Equal(["none", "zlib@openssh.com"], SshWireReader.ReadNameList(payload, ref offset));
        Assert.Equal(["none", "zlib@openssh.com"], SshWireReader.ReadNameList(payload, ref offset));
        Assert.Empty(SshWireReader.ReadNameList(payload, ref offset));
        Assert.Empty(SshWireReader.ReadNameList(payload, ref offset));
        Assert.Equal(0, payload[offset++]);
        Assert.Equal(0u, SshWireReader.ReadUInt32(payload, ref offset));
        Assert.Equal(payload.Length, offset);
    }

    [Fact]
    public void KEXINIT_lists_OpenSSH_9_2_algorithms_but_not_strict_kex_which_forbids_ignore_packets()
    {
        Assert.Equal("sntrup761x25519-sha512@openssh.com", KexInit.KexAlgorithms[0]);
        Assert.Contains("curve25519-sha256", KexInit.KexAlgorithms);
        Assert.Contains("diffie-hellman-group14-sha256", KexInit.KexAlgorithms);
        Assert.DoesNotContain("kex-strict-s-v00@openssh.com", KexInit.KexAlgorithms);
        Assert.Equal("chacha20-poly1305@openssh.com", KexInit.Ciphers[0]);
        Assert.StartsWith("umac-64-etm@openssh.com", KexInit.Macs[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Each_connection_gets_its_own_cookie_and_padding()
    {
        var cookieAt = Stream.IdentificationLength + 5 + 1;
        var a = Read(SshNoise.Seed(9, 1), 0, Stream.PrefixLength);
        var b = Read(SshNoise.Seed(9, 2), 0, Stream.PrefixLength);

        Assert.NotEqual(a.AsSpan(cookieAt, 16).ToArray(), b.AsSpan(cookieAt, 16).ToArray());
        Assert.NotEqual(a.AsSpan(Stream.PrefixLength - 4, 4).ToArray(), b.AsSpan(Stream.PrefixLength - 4, 4).ToArray());
        Assert.Equal(a.AsSpan(0, cookieAt).ToArray(), b.AsSpan(0, cookieAt).ToArray());
    }

    [Fact]
    public void After_KEXINIT_come_well_formed_ignore_packets_forever()
    {
        const int Packets = 200;
        var bytes = Read(seed: 5, offset: Stream.PrefixLength, count: Packets * KexHoldStream.IgnorePacketLength);
        var reader = new SshWireReader(bytes);

        for (var i = 0; i < Packets; i++)
        {
            var payload = reader.ReadPacket();
            var offset = 1;
            var dataLength = SshWireReader.ReadUInt32(payload, ref offset);

            Assert.Equal(2, payload[0]);
            Assert.Equal(payload.Length - 5, (int)dataLength);
        }

        Assert.Equal(0, reader.Remaining);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1000)]
    public void Dripping_in_chunks_yields_exactly_the_bytes_of_one_write(int chunk)
    {
        var total = Stream.PrefixLength + (10 * KexHoldStream.IgnorePacketLength) + 3;
        var whole = Read(seed: 77, offset: 0, count: total);
        var dripped = new byte[total];

        for (var offset = 0; offset < total; offset += chunk)
        {
            Stream.Write(77, offset, dripped.AsSpan(offset, Math.Min(chunk, total - offset)));
        }

        Assert.Equal(whole, dripped);
    }

    private static byte[] Read(ulong seed, long offset, int count)
    {
        var bytes = new byte[count];
        Stream.Write(seed, offset, bytes);
        return bytes;
    }
}
