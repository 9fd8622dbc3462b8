using System.Text;
using Tarpit.Detection.Filters;

namespace Tarpit.Detection.Sources;

internal sealed partial class LogFileTail
{
    /// <summary>Bytes examined per step when searching backwards for the start of the read-back.</summary>
    public const int ReadBackBlockBytes = 64 * 1024;

    /// <summary>
    /// Where to start reading so that the lines of the last stretch (since <paramref name="cutoff"/>) are judged again
    /// after a restart: walks back from the end in blocks, reading the timestamp of each block's first whole line,
    /// until one is older than the cutoff. A file whose lines carry no timestamp (<c>sshd -E</c>, access logs) has no
    /// history to trust: reading starts at its end.
    /// </summary>
    public static long ReadBack(FileStream stream, DateTimeOffset cutoff, TimeProvider time)
    {
        var buffer = new byte[ReadBackBlockBytes];
        var start = stream.Length;
        var blockEnd = start;
        while (blockEnd > 0)
        {
            var blockStart = Math.Max(0, blockEnd - ReadBackBlockBytes);
            var count = (int)(blockEnd - blockStart);
            stream.Position = blockStart;
            stream.ReadExactly(buffer, 0, count);
            var block = buffer.AsSpan(0, count);

            // A block that starts mid-line begins at its first whole line; the cut line is read with the block before.
            var firstLine = blockStart == 0 ? 0 : block.IndexOf((byte)'\n') + 1;
            if (firstLine == 0 && blockStart > 0)
            {
                blockEnd = blockStart;
                continue;
            }

            var dated = false;
            var afterOld = -1;
            for (var lineStart = firstLine; lineStart < count;)
            {
                var lineLength = block[lineStart..].IndexOf((byte)'\n');
                var lineEnd = lineLength < 0 ? count : lineStart + lineLength;
                if (TryTimestamp(block[lineStart..lineEnd], time, out var timestamp))
                {
                    dated = true;
                    afterOld = timestamp < cutoff ? lineEnd + 1 : afterOld;
                }

                lineStart = lineEnd + 1;
            }

            if (afterOld >= 0)
            {
                return Math.Min(blockStart + afterOld, stream.Length);
            }

            if (!dated)
            {
                // A whole block without a timestamp: nothing here is history we can date.
                return start;
            }

            start = blockStart + firstLine;
            blockEnd = start;
        }

        return start;
    }

    private static bool TryTimestamp(ReadOnlySpan<byte> line, TimeProvider time, out DateTimeOffset timestamp)
    {
        // A syslog timestamp sits in the first few dozen bytes.
        Span<char> chars = stackalloc char[64];
        var head = line[..Math.Min(line.Length, chars.Length)];
        var written = Encoding.UTF8.GetChars(head, chars);
        var view = SyslogLine.Parse(chars[..written], DateTimeOffset.MinValue, time);
        timestamp = view.Timestamp;
        return view.HasOwnTimestamp;
    }
}
