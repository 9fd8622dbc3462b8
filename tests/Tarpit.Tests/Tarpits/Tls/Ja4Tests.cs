using Tarpit.Tarpits.Tls;

namespace Tarpit.Tests.Tarpits.Tls;

public sealed class Ja4Tests
{
    // JA4 technical details (FoxIO), the worked example: its ciphers and extensions (SNI and ALPN among them, h2
    // offered, TLS 1.3 in supported_versions) and the fingerprint it publishes for them.
    private static readonly ushort[] ExampleCiphers =
        [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];

    private static readonly ushort[] ExampleExtensions =
        [0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015];

    private static readonly ushort[] ExampleSignatures = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];

    private const string ExampleFingerprint = "t13d1516h2_8daaf6152771_e5627efa2ab1";

    [Fact]
    public void The_published_example_hello_has_the_published_fingerprint()
    {
        var hello = Hello(ExampleCiphers, ExampleExtensions, ExampleSignatures, [0x0304, 0x0303], "h2");

        Assert.Equal(ExampleFingerprint, Ja4.Of(hello));
    }

    [Fact]
    public void Grease_values_in_ciphers_extensions_signatures_and_versions_are_ignored()
    {
        var hello = Hello(
            [0x0a0a, .. ExampleCiphers, 0xfafa],
            [0x2a2a, .. ExampleExtensions, 0xdada],
            [0x1a1a, .. ExampleSignatures],
            [0x0304, 0x0303],
            "h2");

        Assert.Equal(ExampleFingerprint, Ja4.Of(hello));
    }

    [Fact]
    public void Without_sni_alpn_or_supported_versions_the_fingerprint_says_i_00_and_the_legacy_version()
    {
        ushort[] extensions = [0x000a, 0x000b, 0x000d];
        var hello = Hello([0xc02f, 0x009c], extensions, [0x0401], versions: null, alpn: null, legacyVersion: 0x0302);

        var fingerprint = Ja4.Of(hello)!;

        Assert.StartsWith("t11i020300_", fingerprint, StringComparison.Ordinal);
        Assert.Equal(Ja4.Length, fingerprint.Length);
    }

    [Fact]
    public void Empty_cipher_and_extension_lists_hash_to_twelve_zeros()
    {
        var hello = Hello([], [], [], versions: null, alpn: null);

        Assert.Equal("t12i000000_000000000000_000000000000", Ja4.Of(hello));
    }

    [Fact]
    public void Without_signature_algorithms_the_third_part_hashes_the_extensions_alone()
    {
        var withSignatures = Ja4.Of(Hello([0x1301], [0x000a, 0x000b], [0x0403], null, null))!;
        var without = Ja4.Of(Hello([0x1301], [0x000a, 0x000b], [], null, null))!;

        // sha256("000a,000b") cut to 12 hex digits.
        Assert.EndsWith("_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("000a,000b"u8))[..12], without, StringComparison.Ordinal);
        Assert.NotEqual(withSignatures[^12..], without[^12..]);
    }

    [Theory]
    [InlineData(99, "99")]
    [InlineData(100, "99")]
    [InlineData(98, "98")]
    public void Counts_stop_at_99(int ciphers, string expected)
    {
        var suites = Enumerable.Range(1, ciphers).Select(i => (ushort)i).ToArray();

        var fingerprint = Ja4.Of(Hello(suites, [], [], null, null))!;

        Assert.Equal(expected, fingerprint[4..6]);
    }

    [Theory]
    [InlineData("h2", "h2")]
    [InlineData("http/1.1", "h1")]
    [InlineData("h", "hh")]
    [InlineData("\u00ab\u00cd", "ad")]
    [InlineData("h2/", "6f")]
    public void The_alpn_part_is_the_first_and_last_character_or_hex_digit(string name, string expected)
    {
        Assert.Equal(expected, Ja4.AlpnChars(System.Text.Encoding.Latin1.GetBytes(name)));
    }

    [Fact]
    public void The_parser_keeps_what_the_fingerprint_reads_in_the_order_offered()
    {
        var flight = ClientHelloBuilder.Build(
            suites: [0x0a0a, 0x1301, 0xc02f],
            alpn: ["http/1.1", "h2"],
            supportedVersions: [0x3a3a, 0x0304, 0x0303]);

        var hello = ClientHelloParser.Parse(flight).Hello!;

        Assert.NotNull(hello.Traits);
        Assert.Equal([0x0000, 0x000b, 0x000a, 0x0023, 0x0010, 0x0017, 0xff01, 0x002b], hello.Traits.ExtensionTypes);
        Assert.Equal([0x0304, 0x0303], hello.Traits.Versions);
        Assert.Equal("h1", hello.Traits.AlpnChars);
        Assert.StartsWith("t13d0208h1_", Ja4.Of(hello), StringComparison.Ordinal);
    }

    [Fact]
    public void A_hello_without_traits_has_no_fingerprint()
    {
        var hello = new ClientHello(0x0301, 0x0303, 0x0303, true, [], [0x1301], null, null, false, ClientHelloExtensions.None);

        Assert.Null(Ja4.Of(hello));
    }

    private static ClientHello Hello(ushort[] ciphers, ushort[] extensions, ushort[] signatures, ushort[]? versions, string? alpn, ushort legacyVersion = 0x0303) =>
        new(0x0301, legacyVersion, legacyVersion, true, [], ciphers, null, alpn, false, ClientHelloExtensions.None)
        {
            Traits = new HelloTraits(extensions, signatures, versions?.Where(v => !TlsRecord.IsGrease(v)).ToArray(), alpn is null ? null : Ja4.AlpnChars(System.Text.Encoding.ASCII.GetBytes(alpn))),
        };
}
