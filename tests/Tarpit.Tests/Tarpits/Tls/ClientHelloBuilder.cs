using System.Text;

namespace Tarpit.Tests.Tarpits.Tls;

/// <summary>Builds ClientHello flights for tests, shaped like OpenSSL's and nmap's.</summary>
internal static class ClientHelloBuilder
{
    public static byte[] Build(
        ushort legacyVersion = 0x0303,
        ushort[]? suites = null,
        string? sni = "example.org",
        string[]? alpn = null,
        ushort[]? supportedVersions = null,
        int sessionIdLength = 32,
        bool extendedMasterSecret = true,
        bool renegotiationInfo = true,
        bool ecPointFormats = true,
        int recordSplit = 0,
        bool keyShare = false)
    {
        suites ??= [0x1302, 0x1303, 0x1301, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC02B, 0xC02F, 0x009F, 0x00FF];
        alpn ??= ["h2", "http/1.1"];
        supportedVersions ??= [0x0304, 0x0303];
        var extensions = new List<byte>();
        if (sni is not null)
        {
            var name = Encoding.ASCII.GetBytes(sni);
            Extension(extensions, 0, [.. U16(name.Length + 3), 0, .. U16(name.Length), .. name]);
        }

        if (ecPointFormats)
        {
            Extension(extensions, 11, [3, 0, 1, 2]);
        }

        Extension(extensions, 10, [0, 4, 0, 0x1D, 0, 0x17]);
        Extension(extensions, 35, []);
        if (alpn.Length > 0)
        {
            var list = alpn.SelectMany(a => new[] { (byte)a.Length }.Concat(Encoding.ASCII.GetBytes(a))).ToArray();
            Extension(extensions, 16, [.. U16(list.Length), .. list]);
        }

        if (extendedMasterSecret)
        {
            Extension(extensions, 23, []);
        }

        if (renegotiationInfo)
        {
            Extension(extensions, 0xFF01, [0]);
        }

        if (keyShare)
        {
            Extension(extensions, 51, [0, 36, 0, 0x1D, 0, 32, .. Enumerable.Range(1, 32).Select(i => (byte)i)]);
        }

        if (supportedVersions.Length > 0)
        {
            Extension(extensions, 43, [(byte)(supportedVersions.Length * 2), .. supportedVersions.SelectMany(U16)]);
        }

        var body = new List<byte>();
        body.AddRange(U16(legacyVersion));
        body.AddRange(Enumerable.Range(0, 32).Select(i => (byte)i));
        body.Add((byte)sessionIdLength);
        body.AddRange(Enumerable.Range(100, sessionIdLength).Select(i => (byte)i));
        body.AddRange(U16(suites.Length * 2));
        body.AddRange(suites.SelectMany(U16));
        body.AddRange([1, 0]);
        body.AddRange(U16(extensions.Count));
        body.AddRange(extensions);
        byte[] message = [1, 0, .. U16(body.Count), .. body];
        return recordSplit <= 0 ? Record(message) : message.Chunk(recordSplit).SelectMany(Record).ToArray();
    }

    public static byte[] Record(byte[] fragment) => [22, 3, 1, .. U16(fragment.Length), .. fragment];

    private static void Extension(List<byte> extensions, int type, byte[] data)
    {
        extensions.AddRange(U16(type));
        extensions.AddRange(U16(data.Length));
        extensions.AddRange(data);
    }

    private static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];

    private static byte[] U16(ushort value) => U16((int)value);
}
