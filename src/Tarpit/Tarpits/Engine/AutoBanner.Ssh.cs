using System.Net.Sockets;
using System.Text;
using Tarpit.Config;
using Tarpit.Text;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// The SSH side of <see cref="AutoBanner"/>: the real server's identification string, then (after sending ours, as
/// sshd sends nothing more before it) its KEXINIT name-lists; then the connection is closed.
/// </summary>
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
    /// Our bound on the KEXINIT packet read (its uint32 <c>packet_length</c>): <c>kex-hold</c> sends the banner and the
    /// KEXINIT in one step of <see cref="SessionContext.MinOutputCapacity"/> bytes. Debian 12's is 1088 bytes; RFC
    /// 4253 §6.1 only obliges anyone to accept 35000.
    /// </summary>
    public const int MaxKexInitPacketLength = SessionContext.MinOutputCapacity - MaxSshLineBytes - 4;

    /// <summary>
    /// Our bound on waiting for the KEXINIT once the banner is read (within the whole read's timeout): sshd sends it as
    /// soon as it has read our identification string. A service that sends a banner and no KEXINIT keeps its banner.
    /// </summary>
    public static readonly TimeSpan KexInitTimeout = TimeSpan.FromSeconds(1);

    /// <summary>What the agent says to the real sshd to get its KEXINIT (sshd logs it with the close).</summary>
    public static readonly byte[] ProbeIdentification = "SSH-2.0-tarpit_agent_banner_auto\r\n"u8.ToArray();

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
                    if (TarpitSection.SshBannerProblem(line) is { } problem)
                    {
                        return BannerReading.Failed($"its identification string is not valid: {problem}");
                    }

                    var rest = buffer.AsMemory(lf + 1, filled - lf - 1);
                    using var kexDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    kexDeadline.CancelAfter(KexInitTimeout);
                    try
                    {
                        var (lists, kexProblem) = await ReadKexInitAsync(socket, rest, kexDeadline.Token);
                        return BannerReading.Read(line) with { KexInitNameLists = lists, KexInitProblem = kexProblem };
                    }
                    catch (OperationCanceledException)
                    {
                        return BannerReading.Read(line) with { KexInitProblem = "no KEXINIT in time after the banner" };
                    }
                    catch (SocketException ex)
                    {
                        return BannerReading.Read(line) with { KexInitProblem = $"{ex.SocketErrorCode} reading its KEXINIT" };
                    }
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

    /// <summary>
    /// Sends our identification string and reads the server's first binary packet (RFC 4253 §6), at most
    /// <see cref="MaxKexInitPacketLength"/> bytes: the name-lists of its KEXINIT, or why not.
    /// </summary>
    private static async Task<(IReadOnlyList<string>? Lists, string? Problem)> ReadKexInitAsync(
        Socket socket, ReadOnlyMemory<byte> alreadyRead, CancellationToken cancellationToken)
    {
        await socket.SendAsync(ProbeIdentification, SocketFlags.None, cancellationToken);
        var header = new byte[4];
        var pending = alreadyRead;
        var packet = await ReadExactlyAsync(socket, pending, header, cancellationToken);
        pending = pending[Math.Min(pending.Length, header.Length)..];
        if (packet < header.Length)
        {
            return (null, "it closed before its KEXINIT");
        }

        var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length is < 1 + 1 + 16 or > MaxKexInitPacketLength)
        {
            return (null, $"its first packet is {length} bytes long; at most {MaxKexInitPacketLength} are read");
        }

        var body = new byte[length];
        if (await ReadExactlyAsync(socket, pending, body, cancellationToken) < body.Length)
        {
            return (null, "it closed inside its KEXINIT");
        }

        // RFC 4253 §6: byte padding_length, byte[n1] payload, byte[n2] padding (no MAC before NEWKEYS).
        var padding = body[0];
        if (padding >= body.Length)
        {
            return (null, "its first packet's padding is longer than the packet (RFC 4253 §6)");
        }

        var lists = Ssh.KexInit.ParseNameLists(body.AsSpan(1, body.Length - 1 - padding), out var problem);
        return (lists, problem);
    }

    /// <summary>Fills <paramref name="destination"/> from what was already read, then the socket; returns the bytes filled.</summary>
    private static async Task<int> ReadExactlyAsync(Socket socket, ReadOnlyMemory<byte> alreadyRead, byte[] destination, CancellationToken cancellationToken)
    {
        var filled = Math.Min(alreadyRead.Length, destination.Length);
        alreadyRead[..filled].CopyTo(destination);
        while (filled < destination.Length)
        {
            var read = await socket.ReceiveAsync(destination.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private static bool IsPrintableAscii(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExceptInRange((byte)' ', (byte)'~');
}
