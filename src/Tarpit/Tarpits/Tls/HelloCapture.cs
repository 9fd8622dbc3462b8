using System.Globalization;

namespace Tarpit.Tarpits.Tls;

/// <summary>
/// The capture of a ClientHello (issue 19 §2), published as <see cref="CaptureKeys.Tls"/>: SNI, the ALPN offer, the
/// versions offered (supported_versions without GREASE, else legacy_version; RFC 8446 §4.2.1 allows at most 127) and
/// the JA4 fingerprint (<see cref="Ja4"/>). Strings are the parser's, already escaped and bounded.
/// </summary>
internal static class HelloCapture
{
    public static string Compose(ClientHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        return CaptureJson.Object(hello, static (writer, hello) =>
        {
            CaptureJson.StringOrNull(writer, "sni", hello.ServerName);
            CaptureJson.StringOrNull(writer, "alpn", hello.Alpn);
            writer.WriteStartArray("versions");
            foreach (var version in hello.Traits?.Versions ?? [hello.LegacyVersion])
            {
                writer.WriteStringValue(VersionName(version));
            }

            writer.WriteEndArray();
            CaptureJson.StringOrNull(writer, "ja4", Ja4.Of(hello));
        });
    }

    /// <summary>"TLS 1.3" … "SSL 3.0" for the versions RFC 8446 Appendix B.1 and its predecessors name, else the hex code.</summary>
    public static string VersionName(ushort version) => version switch
    {
        0x0304 => "TLS 1.3",
        0x0303 => "TLS 1.2",
        0x0302 => "TLS 1.1",
        0x0301 => "TLS 1.0",
        0x0300 => "SSL 3.0",
        _ => string.Create(CultureInfo.InvariantCulture, $"0x{version:x4}"),
    };
}
