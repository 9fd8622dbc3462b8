using System.Globalization;

namespace Tarpit.Tarpits.Http;

/// <summary>
/// The capture of one HTTP request (issue 19 §2), published as <see cref="CaptureKeys.Http"/>: its number on the
/// connection, method, target, version, Host, User-Agent, the body length announced (Content-Length; the body is never
/// read) and every header field's name and first bytes (<see cref="HeaderCapture"/>'s bounds). Every string is the
/// request's, already escaped.
/// </summary>
internal static class RequestCapture
{
    /// <summary>
    /// The longest capture's JSON: 32 fields of 64 + 65 characters, a 256-character target and user agent and a
    /// 128-character Host are about 5.6 K characters; JSON's own escapes (a backslash of <c>\xNN</c> doubled, the cut
    /// marker as <c>\u2026</c>) take it to about 6.4 K. It leaves with its Observed event and is not kept with the connection.
    /// </summary>
    public const int MaxJsonLength = 8 * 1024;

    /// <summary>
    /// Requests captured per connection: a scanner's probes on a kept-alive connection are told by the first few; the
    /// rest (up to <see cref="HttpTarpit.MaxRequestsPerConnection"/>) are counted by their number, not captured, so one
    /// connection writes at most this many capture rows.
    /// </summary>
    public const int MaxCapturedRequests = 10;

    public static string Compose(HttpRequest request, int number)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CaptureJson.Object((request, number), static (writer, state) =>
        {
            var (request, number) = state;
            writer.WriteNumber("request", number);
            writer.WriteString("method", request.Method);
            writer.WriteString("target", request.Target);
            writer.WriteString("version", request.MinorVersion == 1 ? "HTTP/1.1" : request.MinorVersion == 0 ? "HTTP/1.0" : string.Create(CultureInfo.InvariantCulture, $"HTTP/1.{request.MinorVersion}"));
            CaptureJson.StringOrNull(writer, "host", request.Host);
            CaptureJson.StringOrNull(writer, "user_agent", request.UserAgent);
            if (request.ContentLength is { } length)
            {
                writer.WriteNumber("content_length", length);
            }
            else
            {
                writer.WriteNull("content_length");
            }

            writer.WriteNumber("headers_seen", request.HeadersSeen);
            writer.WriteStartArray("headers");
            foreach (var header in request.Headers)
            {
                writer.WriteStartObject();
                writer.WriteString("name", header.Name);
                writer.WriteString("value", header.Value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }
}
