using System.Runtime.CompilerServices;

namespace Tarpit.Detection.Sources;

/// <summary>
/// Cuts a byte stream into lines on <c>\n</c> (dropping a trailing <c>\r</c>). A partial last line is held until its
/// newline arrives, so half a line is never judged. A line longer than the bound is never delivered as a line: its
/// first <see cref="MaxLineBytes"/> go to the cut handler (to count it and show a sample) and the rest of it, up to the
/// next newline, is skipped: memory per source is bounded whatever a writer does, and the writer cannot choose where a
/// judged line ends (padding a user name so that a forged <c> from 192.0.2.250</c> ends exactly at the bound).
/// </summary>
internal sealed class LineSplitter
{
    /// <summary>
    /// Longest line judged, in bytes. rsyslog's default <c>$MaxMessageSize</c> is 8 KiB (rsyslog.conf(5)) and
    /// journald's <c>LineMax</c> 48 KiB (journald.conf(5)); a syslog prefix plus an sshd message fits in a fraction of
    /// that. A longer line is cut, counted and never judged.
    /// </summary>
    public const int DefaultMaxLineBytes = 16 * 1024;

    private readonly byte[] _pending;
    private int _length;
    private bool _skipping;

    public LineSplitter(int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineBytes);
        _pending = new byte[maxLineBytes];
    }

    /// <summary>Receives one complete line (without the newline); the span is valid only during the call.</summary>
    public delegate void LineHandler(ReadOnlySpan<byte> line);

    public int MaxLineBytes => _pending.Length;

    /// <summary>Lines that were longer than <see cref="MaxLineBytes"/>: cut, handed to the cut handler, never delivered.</summary>
    public long CutLines { get; private set; }

    /// <summary>True while part of a line is waiting for its newline.</summary>
    public bool HasPartialLine => _length > 0 || _skipping;

    /// <summary>
    /// Splits <paramref name="data"/>: each complete line goes to <paramref name="onLine"/>, the first
    /// <see cref="MaxLineBytes"/> of each longer line to <paramref name="onCut"/> (when given), never to both.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Push(ReadOnlySpan<byte> data, LineHandler onLine, LineHandler? onCut = null)
    {
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            var chunk = newline >= 0 ? data[..newline] : data;
            data = newline >= 0 ? data[(newline + 1)..] : default;
            if (_skipping)
            {
                _skipping = newline < 0;
                continue;
            }

            if (_length == 0 && newline >= 0 && chunk.Length <= _pending.Length)
            {
                // The common case: a whole line inside the buffer just read, delivered without a copy.
                onLine(TrimCarriageReturn(chunk));
                continue;
            }

            var room = _pending.Length - _length;
            if (chunk.Length > room)
            {
                chunk[..room].CopyTo(_pending.AsSpan(_length));
                CutLines++;
                onCut?.Invoke(_pending);
                _length = 0;
                _skipping = newline < 0;
                continue;
            }

            chunk.CopyTo(_pending.AsSpan(_length));
            _length += chunk.Length;
            if (newline >= 0)
            {
                onLine(TrimCarriageReturn(_pending.AsSpan(0, _length)));
                _length = 0;
            }
        }
    }

    /// <summary>Delivers a held partial line as complete: the file it came from will never grow again (rotated away).</summary>
    public void Flush(LineHandler onLine)
    {
        if (_length > 0)
        {
            onLine(TrimCarriageReturn(_pending.AsSpan(0, _length)));
        }

        Reset();
    }

    /// <summary>Forgets any partial line (the file was truncated under it).</summary>
    public void Reset()
    {
        _length = 0;
        _skipping = false;
    }

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
