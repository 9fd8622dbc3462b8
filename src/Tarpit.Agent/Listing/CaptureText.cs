using System.Globalization;
using System.Text;
using System.Text.Json;
using Tarpit.Text;

namespace Tarpit.Agent.Listing;

/// <summary>
/// One stored request capture (<c>Store/CaptureRecord</c>) as one line for <c>show</c>: HTTP as its request line, Host,
/// User-Agent, announced body and header names; TLS as SNI, ALPN, versions and JA4; SSH as its identification string.
/// The store's text was escaped by the tarpit; it is escaped again here, since the terminal must never trust a file.
/// </summary>
internal static class CaptureText
{
    /// <summary>Characters of one printed capture line.</summary>
    public const int MaxLineLength = 1024;

    public static string Line(string protocol, string capture)
    {
        ArgumentNullException.ThrowIfNull(capture);
        try
        {
            using var document = JsonDocument.Parse(capture);
            var root = document.RootElement;
            var text = protocol switch
            {
                "http" => Http(root),
                "tls" => string.Create(CultureInfo.InvariantCulture, $"sni {Text(root, "sni")}  alpn {Text(root, "alpn")}  versions {List(root, "versions")}  ja4 {Text(root, "ja4")}"),
                "ssh" => Text(root, "identification"),
                _ => capture,
            };
            return AttackerText.Escape(text, MaxLineLength);
        }
        catch (JsonException)
        {
            return AttackerText.Escape(capture, MaxLineLength);
        }
    }

    private static string Http(JsonElement root)
    {
        var line = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"#{Number(root, "request")} {Text(root, "method")} {Text(root, "target")} {Text(root, "version")}")
            .Append(CultureInfo.InvariantCulture, $"  host {Text(root, "host")}  ua {Text(root, "user_agent")}  body {Number(root, "content_length")}");
        if (root.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Array)
        {
            line.Append(CultureInfo.InvariantCulture, $"  {Number(root, "headers_seen")} headers:");
            foreach (var header in headers.EnumerateArray())
            {
                line.Append(' ').Append(Text(header, "name"));
            }
        }

        return line.ToString();
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "-" : "-";

    private static string Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetRawText() : "-";

    private static string List(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? string.Join(',', value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()))
            : "-";
}
