using Tarpit.Tarpits.Tls;

namespace Tarpit.Tests.Tarpits.Tls;

public sealed class ClientHelloReaderTests
{
    private static readonly byte[][] FlightBytes =
    [
        ClientHelloBuilder.Build(),
        ClientHelloBuilder.Build(recordSplit: 7),
        ClientHelloBuilder.Build(recordSplit: 1),
        ClientHelloBuilder.Build(legacyVersion: 0x0301, supportedVersions: [], alpn: [], sni: null),
        ClientHelloBuilder.Build(keyShare: true, sessionIdLength: 0),
        Convert.FromHexString("16030000530100004f03003f47d7f7ba2ceeeab2607ef300fd827bb9d596c8779be6c4db3c3ddb6fef106e00002800160013000a0066000500040065006400630062006100600015001200090014001100080006000301" + "00"),
        "GET / HTTP/1.1\r\n"u8.ToArray(),
        new byte[] { 23, 3, 3, 0, 1, 0 },
        new byte[] { 22, 2 },
        new byte[] { 22, 3, 9, 0, 1 },
        new byte[] { 22, 3, 1, 0, 0 },
        new byte[] { 22, 3, 1, 0x40, 0x01 },
        new byte[] { 22, 3, 1, 0, 4, 2, 0, 0, 0 },
        new byte[] { 22, 3, 1, 0, 4, 1, 0, 0x40, 0x01 },
        new byte[] { 22, 3, 1, 0, 6, 1, 0, 0, 2, 3, 3 },
        new byte[] { 22, 3, 1, 0, 2, 1, 0, 22, 2, 0 },
        new byte[] { 22, 3, 1, 0, 2, 1, 0, 21, 3, 3 },
    ];

    public static TheoryData<byte[]> Flights => new(FlightBytes);

    [Theory]
    [MemberData(nameof(Flights))]
    public void A_flight_fed_a_byte_at_a_time_parses_to_what_the_whole_flight_parses_to(byte[] flight)
    {
        var whole = Feed(flight, flight.Length);

        Assert.Equal(whole, Feed(flight, 1));
        Assert.Equal(whole, Feed(flight, 5));
    }

    [Fact]
    public void Mutated_flights_decide_the_same_however_they_are_split()
    {
        var random = new Random(16);
        var corpus = FlightBytes.Where(f => f.Length > 20).ToArray();
        for (var i = 0; i < 3_000; i++)
        {
            var mutated = (byte[])corpus[random.Next(corpus.Length)].Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            var whole = Feed(mutated, mutated.Length);
            Assert.Equal(whole, Feed(mutated, 1));
            Assert.Equal(whole, Feed(mutated, random.Next(1, 300)));
        }
    }

    [Theory]
    [InlineData(-1, nameof(TlsParseStatus.Incomplete))]
    [InlineData(0, nameof(TlsParseStatus.Incomplete))]
    [InlineData(1, nameof(TlsParseStatus.Invalid))]
    public void A_hello_body_at_the_cap_boundary_decides_alike_a_byte_at_a_time(int overCap, string expectedName)
    {
        var length = ClientHelloParser.MaxClientHelloLength + overCap;
        byte[] header = [22, 3, 1, 0x40, 0x00, 1, (byte)(length >> 16), (byte)(length >> 8), (byte)length];
        var flight = header.Concat(new byte[0x4000 - 4]).ToArray();

        Assert.StartsWith(expectedName + " ", Feed(flight, 1), StringComparison.Ordinal);
        Assert.StartsWith(expectedName + " ", Feed(flight, flight.Length), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, nameof(TlsParseStatus.Incomplete))]
    [InlineData(0, nameof(TlsParseStatus.Incomplete))]
    [InlineData(1, nameof(TlsParseStatus.Invalid))]
    public void A_flight_at_the_raw_cap_boundary_decides_alike_a_byte_at_a_time(int overCap, string expectedName)
    {
        // One-byte records of an unfinished hello: 6 raw bytes per hello byte, then the rest of a last record.
        var flight = new List<byte>();
        byte[] hello = [1, 0, 0x40, 0x00];
        var i = 0;
        while (flight.Count + 6 <= ClientHelloParser.MaxFlightLength + overCap)
        {
            flight.AddRange([22, 3, 1, 0, 1, i < hello.Length ? hello[i] : (byte)0]);
            i++;
        }

        var rest = ClientHelloParser.MaxFlightLength + overCap - flight.Count;
        flight.AddRange(new byte[] { 22, 3, 1, 0, 100 }.Concat(new byte[95]).Take(rest));
        var bytes = flight.ToArray();

        Assert.Equal(ClientHelloParser.MaxFlightLength + overCap, bytes.Length);
        Assert.StartsWith(expectedName + " ", Feed(bytes, 1), StringComparison.Ordinal);
        Assert.StartsWith(expectedName + " ", Feed(bytes, bytes.Length), StringComparison.Ordinal);
    }

    private static string Feed(byte[] flight, int chunk)
    {
        var reader = new ClientHelloReader();
        var result = TlsParseResult.Incomplete;
        for (var i = 0; i < flight.Length; i += chunk)
        {
            result = reader.Feed(flight.AsSpan(i, Math.Min(chunk, flight.Length - i)));
        }

        reader.Release();
        var hello = result.Hello;
        return hello is null
            ? $"{result.Status} {result.Alert}"
            : $"{result.Status} {hello.RecordVersion} {hello.LegacyVersion} {hello.MaxVersion} {hello.OffersTls12} {hello.OffersTls13} "
              + $"{Convert.ToHexString(hello.SessionId)} {string.Join(',', hello.CipherSuites)} {hello.ServerName} {hello.Alpn} "
              + $"{hello.AlpnHttp11} {hello.Extensions} {Convert.ToHexString(hello.Random ?? [])} {hello.KeyShareGroup} {hello.EcdheGroup} {hello.RsaPss}";
    }
}
