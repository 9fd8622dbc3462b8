using System.Text;

namespace Tarpit.Metrics;

/// <summary>What a scrape asked for, read from its request head: the path, HEAD or GET, and whether it accepts OpenMetrics.</summary>
internal readonly record struct ScrapeRequest(int Status, string Problem, bool HeadOnly, bool OpenMetrics)
{
    /// <summary>The one path served.</summary>
    public const string Path = "/metrics";

    /// <summary>Reads a request head (request line and headers, ASCII); anything but <c>GET|HEAD /metrics</c> is 400, 404 or 405.</summary>
    public static ScrapeRequest Parse(ReadOnlySpan<byte> head)
    {
        var end = head.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return new(400, "incomplete request head", false, false);
        }

        var text = Encoding.ASCII.GetString(head[..end]);
        var lines = text.Split("\r\n");
        var parts = lines[0].Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return new(400, "not an HTTP/1.x request", false, false);
        }

        var headOnly = parts[0] == "HEAD";
        if (parts[0] != "GET" && !headOnly)
        {
            return new(405, "only GET " + Path, headOnly, false);
        }

        var target = parts[1];
        var query = target.IndexOf('?', StringComparison.Ordinal);
        if ((query < 0 ? target : target[..query]) != Path)
        {
            return new(404, "metrics are at " + Path, headOnly, false);
        }

        var openMetrics = lines.Skip(1).Any(line =>
            line.StartsWith("accept:", StringComparison.OrdinalIgnoreCase)
            && line.Contains("application/openmetrics-text", StringComparison.OrdinalIgnoreCase));
        return new(200, "", headOnly, openMetrics);
    }
}
