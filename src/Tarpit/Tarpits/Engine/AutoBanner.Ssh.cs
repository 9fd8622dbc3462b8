using System.Net.Sockets;
using System.Text;
using Tarpit.Config;
using Tarpit.Text;

namespace Tarpit.Tarpits.Engine;

/// <summary>The SSH side of <see cref="AutoBanner"/>: the real server's identification string, read, never answered.</summary>
internal static partial class AutoBanner
{
    /// <summary>
    /// RFC 4253 §4.2: "The maximum length of the string is 255 characters, including the Carriage Return and Line
    /// Feed"; the lines a server may send before it are held to the same bound (OpenSSH: "banner line too long").
    /// </summary>
    public const int MaxSshLineBytes = 255;

    /// <summary>Our bound: RFC 4253 §4.2 lets a server send other lines first and sets no count; OpenSSH sends none.</summary>
    public const int MaxSshPreambleLines = 16;

    /// <summary>
    /// Reads lines until one starts with <c>SSH-</c>, skipping at most <see cref="MaxSshPreambleLines"/> others, each at
    /// most <see cref="MaxSshLineBytes"/>; so at most 17 × 255 bytes. Sends nothing: the caller only closes.
    /// </summary>
    private static async Task<BannerReading> ReadSshAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxSshLineBytes];
        var filled = 0;
        var skipped = 0;
        while (true)
        {
            var lf = Array.IndexOf(buffer, (byte)'\n', 0, filled);
            if (lf >= 0)
            {
                var end = lf > 0 && buffer[lf - 1] == '\r' ? lf - 1 : lf;
                if (buffer.AsSpan(0, end).StartsWith("SSH-"u8))
                {
                    if (!IsPrintableAscii(buffer.AsSpan(0, end)))
                    {
                        return BannerReading.Failed($"its identification string is not printable ASCII (RFC 4253 §4.2): \"{AttackerText.Escape(buffer.AsSpan(0, end))}\"");
                    }

                    // Printable ASCII from here on, so the config's message (which quotes it) is safe to log as is.
                    var line = Encoding.ASCII.GetString(buffer, 0, end);
                    return TarpitSection.SshBannerProblem(line) is { } problem
                        ? BannerReading.Failed($"its identification string is not valid: {problem}")
                        : BannerReading.Read(line);
                }

                if (++skipped > MaxSshPreambleLines)
                {
                    return BannerReading.Failed($"more than {MaxSshPreambleLines} lines before an identification string");
                }

                filled -= lf + 1;
                Array.Copy(buffer, lf + 1, buffer, 0, filled);
                continue;
            }

            if (filled == buffer.Length)
            {
                return BannerReading.Failed($"a line longer than {MaxSshLineBytes} bytes (RFC 4253 §4.2): \"{AttackerText.Escape(buffer.AsSpan(0, 64))}\"");
            }

            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return BannerReading.Failed($"closed before an identification string (after \"{AttackerText.Escape(buffer.AsSpan(0, filled), 64)}\")");
            }

            filled += read;
        }
    }

    private static bool IsPrintableAscii(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExceptInRange((byte)' ', (byte)'~');
}
