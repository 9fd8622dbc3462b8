using System.Buffers.Binary;
using Tarpit.Tarpits.Tls;

namespace Tarpit.Tests.Tarpits.Tls;

public sealed class ServerHelloBuilderTests
{
    [Fact]
    public void A_client_offering_tls13_without_a_usable_key_share_gets_tls12_and_its_first_suite_nginx_accepts()
    {
        var hello = ClientHelloParser.Parse(ClientHelloBuilder.Build()).Hello!;

        var record = ServerHelloBuilder.Build(hello, new Random(1), out var version, out _, out var ecdhe)!;
        var parsed = ParseServerHello(record);

        Assert.Equal(0x0303, version);
        Assert.Equal(0x0303, parsed.Version);
        Assert.True(ecdhe);
        Assert.Equal(hello.SessionId, parsed.SessionId);
        Assert.Equal(0xC030, parsed.Suite);
        Assert.Equal([0xFF01, 0x0000, 0x000B, 0x0023, 0x0010, 0x0017], parsed.Extensions);
        Assert.False(parsed.Random.AsSpan(24, 7).SequenceEqual("DOWNGRD"u8));
    }

    [Fact]
    public void A_tls13_client_with_an_x25519_share_gets_a_tls13_server_hello_with_supported_versions_and_key_share()
    {
        var hello = ClientHelloParser.Parse(ClientHelloBuilder.Build(keyShare: true)).Hello!;

        var parsed = ParseServerHello(ServerHelloBuilder.Build(hello, new Random(1), out var version, out _, out _)!);

        Assert.Equal(0x0304, version);
        Assert.Equal(0x0303, parsed.Version);
        Assert.Equal(0x1302, parsed.Suite);
        Assert.Equal([0x002B, 0x0033], parsed.Extensions);
    }

    [Fact]
    public void Only_offered_extensions_are_answered()
    {
        var hello = ClientHelloParser.Parse(ClientHelloBuilder.Build(
            sni: null, alpn: ["h2"], extendedMasterSecret: false, renegotiationInfo: false, ecPointFormats: false,
            suites: [0xC02F])).Hello!;

        var parsed = ParseServerHello(ServerHelloBuilder.Build(hello, new Random(1), out _, out _, out _)!);

        Assert.Equal(0xC02F, parsed.Suite);
        Assert.Equal([0x0023], parsed.Extensions);
    }

    [Fact]
    public void Randoms_differ_per_connection()
    {
        var hello = ClientHelloParser.Parse(ClientHelloBuilder.Build()).Hello!;
        var random = new Random(3);

        var first = ParseServerHello(ServerHelloBuilder.Build(hello, random, out _, out _, out _)!);
        var second = ParseServerHello(ServerHelloBuilder.Build(hello, random, out _, out _, out _)!);

        Assert.NotEqual(first.Random, second.Random);
    }

    [Fact]
    public void Tls10_clients_tls13_only_clients_without_a_share_and_clients_without_common_suites_are_refused()
    {
        var tls10 = ClientHelloParser.Parse(ClientHelloBuilder.Build(legacyVersion: 0x0301, supportedVersions: [], suites: [0xC013, 0x002F])).Hello!;
        var tls13Only = ClientHelloParser.Parse(ClientHelloBuilder.Build(supportedVersions: [0x0304], suites: [0x1301])).Hello!;
        var noCommonSuite = ClientHelloParser.Parse(ClientHelloBuilder.Build(suites: [0x1301, 0xC02B, 0x000A, 0x00FF])).Hello!;

        Assert.Null(ServerHelloBuilder.Build(tls10, new Random(1), out _, out var tls10Alert, out _));
        Assert.Equal(TlsAlert.ProtocolVersion, tls10Alert);
        Assert.Null(ServerHelloBuilder.Build(tls13Only, new Random(1), out _, out var versionAlert, out _));
        Assert.Equal(TlsAlert.ProtocolVersion, versionAlert);
        Assert.Null(ServerHelloBuilder.Build(noCommonSuite, new Random(1), out _, out var suiteAlert, out _));
        Assert.Equal(TlsAlert.HandshakeFailure, suiteAlert);
    }

    internal sealed record ParsedServerHello(ushort Version, byte[] Random, byte[] SessionId, ushort Suite, ushort[] Extensions);

    /// <summary>An independent reading of the record: every length must add up exactly.</summary>
    internal static ParsedServerHello ParseServerHello(byte[] record)
    {
        Assert.Equal(22, record[0]);
        Assert.Equal(record.Length - 5, BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(3)));
        Assert.Equal(2, record[5]);
        Assert.Equal(record.Length - 9, (record[6] << 16) | (record[7] << 8) | record[8]);
        var body = record.AsSpan(9);
        var version = BinaryPrimitives.ReadUInt16BigEndian(body);
        var random = body.Slice(2, 32).ToArray();
        var sessionIdLength = body[34];
        var sessionId = body.Slice(35, sessionIdLength).ToArray();
        var rest = body[(35 + sessionIdLength)..];
        var suite = BinaryPrimitives.ReadUInt16BigEndian(rest);
        Assert.Equal(0, rest[2]);
        var extensions = new List<ushort>();
        if (rest.Length > 3)
        {
            var block = rest[5..];
            Assert.Equal(block.Length, BinaryPrimitives.ReadUInt16BigEndian(rest[3..]));
            while (!block.IsEmpty)
            {
                extensions.Add(BinaryPrimitives.ReadUInt16BigEndian(block));
                var length = BinaryPrimitives.ReadUInt16BigEndian(block[2..]);
                block = block[(4 + length)..];
            }
        }

        return new(version, random, sessionId, suite, [.. extensions]);
    }
}
