using System.Globalization;

namespace Tarpit.Tarpits.Http;

/// <summary>
/// The capture of one HTTP request (issue 19 §2), published as <see cref="CaptureKeys.Http"/>: its number on the
/// connection, method, target, version, Host, User-Agent, the body length announced (Content-Length; the body is never
/// read) and every header field's name and first bytes (<see cref="HeaderCapture"/>'s bounds). Every string is the
/// request's, already escaped; the longest capture is about 5.5 KB (32 fields of 64 + 65 characters, a 256-character
/// target and user agent, a 128-character Host).
/// </summary>
internal static class RequestCapture
{
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
            writer.WriteString("version", string.Create(CultureInfo.InvariantCulture, $"HTTP/1.{request.MinorVersion}"));
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
