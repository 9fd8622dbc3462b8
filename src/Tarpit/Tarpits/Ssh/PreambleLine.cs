namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// The endless-banner lines: RFC 4253 §4.2 lets a server send other lines before its identification string, and a
/// client must read them until one starts with "SSH-" (endlessh's trick). Each line is a pure function of the
/// connection's seed and the line's index, written straight into the caller's buffer: no allocation, and a line the
/// kernel only partly accepted can be regenerated to send its tail.
/// </summary>
internal static class PreambleLine
{
    /// <summary>
    /// Our bound, far inside RFC 4253 §4.2's ("The maximum length of the string is 255 characters, including the
    /// Carriage Return and Line Feed", which clients apply to the lines before it too: OpenSSH "banner line too long"):
    /// endlessh's default line length (<c>-l 32</c>). Short lines hold clients that cap the preamble in bytes (Go's
    /// x/crypto/ssh reads 255 bytes before the version in total) about eight times longer than 255-byte ones.
    /// </summary>
    public const int MaxLength = 32;

    /// <summary>At least one printable byte, then CR LF.</summary>
    public const int MinLength = 3;

    private const byte FirstPrintable = 0x20;
    private const byte PrintableCount = 0x7F - FirstPrintable;

    /// <summary>Writes line <paramref name="lineIndex"/> of the connection's stream and returns its length (CR LF included).</summary>
    public static int Write(ulong seed, long lineIndex, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, MaxLength);
        var lineSeed = SshNoise.At(seed, lineIndex);
        var length = MinLength + (int)(lineSeed % (MaxLength - MinLength + 1));
        var text = destination[..(length - 2)];
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = (byte)(FirstPrintable + (SshNoise.At(lineSeed, i) % PrintableCount));
        }

        // A line starting with "SSH-" would be taken for the identification string and end the preamble.
        if (text.StartsWith("SSH-"u8))
        {
            text[3] = (byte)'_';
        }

        destination[length - 2] = (byte)'\r';
        destination[length - 1] = (byte)'\n';
        return length;
    }
}
