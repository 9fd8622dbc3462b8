using System.Net.Sockets;
using System.Text;
using Tarpit.Config;
using Tarpit.Text;

namespace Tarpit.Tarpits.Engine;

/// <summary>The HTTP side of <see cref="AutoBanner"/>: the <c>Server</c> header of the real server's answer to one HEAD.</summary>
internal static partial class AutoBanner
{
    /// <summary>
    /// Our bound on the response head read: a real server's answer to HEAD is far shorter; 8 KiB is the head size
    /// nginx itself buffers by default (<c>large_client_header_buffers 4 8k</c>).
    /// </summary>
    public const int MaxHttpHeadBytes = 8 * 1024;

    /// <summary>HTTP/1.0, so the server closes after the head (RFC 9110 §9.3.2: HEAD, no body).</summary>
    private static readonly byte[] HeadRequest = "HEAD / HTTP/1.0\r\nHost: localhost\r\n\r\n"u8.ToArray();

    private static async Task<BannerReading> ReadHttpAsync(Socket socket, CancellationToken cancellationToken)
    {
        await socket.SendAsync(HeadRequest, SocketFlags.None, cancellationToken);
        var buffer = new byte[MaxHttpHeadBytes];
        var filled = 0;
        var headEnd = -1;
        while (filled < buffer.Length && headEnd < 0)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
            headEnd = HeadEnd(buffer.AsSpan(0, filled));
        }

        // Only complete lines count: a head cut at the bound may still name its Server early on.
        var complete = headEnd >= 0 ? headEnd : buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
        var lines = Encoding.Latin1.GetString(buffer, 0, complete).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (!lines[0].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            return BannerReading.Failed($"not an HTTP response: \"{AttackerText.Escape(buffer.AsSpan(0, Math.Min(filled, 64)))}\"");
        }

        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Equals("Server", StringComparison.OrdinalIgnoreCase))
            {
                // RFC 9110 §5.5: optional whitespace around the field value is not part of it.
                var value = line[(colon + 1)..].Trim(' ', '\t');
                if (value.Any(c => c is < ' ' or > '~'))
                {
                    return BannerReading.Failed($"its Server header is not printable ASCII: \"{AttackerText.Escape(Encoding.Latin1.GetBytes(value))}\"");
                }

                // Printable ASCII from here on, so the config's message (which quotes it) is safe to log as is.
                return TarpitSection.HttpBannerProblem(value) is { } problem
                    ? BannerReading.Failed($"its Server header is not valid: {problem}")
                    : BannerReading.Read(value);
            }
        }

        return BannerReading.Failed(headEnd >= 0 || filled < buffer.Length
            ? "no Server header in its answer"
            : $"no Server header in the first {MaxHttpHeadBytes} bytes");
    }

    /// <summary>Where the head ends (before the empty line), or -1 while it has not.</summary>
    private static int HeadEnd(ReadOnlySpan<byte> received)
    {
        var crlf = received.IndexOf("\r\n\r\n"u8);
        var lf = received.IndexOf("\n\n"u8);
        return crlf < 0 ? lf : lf < 0 ? crlf : Math.Min(crlf, lf);
    }
}
