using System.Buffers;

namespace Tarpit.Tarpits.Http;

/// <summary>
/// Reads one HTTP/1.x request head (RFC 9112 §2–§5) as it arrives, bounded like nginx (<see cref="HttpRequestParser"/>'s
/// limits). Each byte is looked at once, where the previous read stopped: a client that sends its head a byte at a
/// time costs one step per byte, not a re-scan of everything before it. A completed line is parsed once. Only the line
/// being read is buffered, and only when it matters (the request line, and the fields the tarpit keeps: see
/// <see cref="HttpRequestParser.HeaderFields.Keeps"/>), in an <see cref="ArrayPool{T}"/> buffer that grows to at most
/// <see cref="HttpRequestParser.MaxLineLength"/> and goes back to the pool once the head is decided. The outcome depends
/// only on the bytes, never on how they were split across reads: the first byte that decides the head decides it.
/// </summary>
internal sealed partial class HttpHeadReader
{
    /// <summary>The first line buffer rented: a typical request line or User-Agent fits; it doubles when one does not.</summary>
    private const int InitialLineBuffer = 128;

    private readonly HttpRequestParser.HeaderFields _fields = new();
    private readonly HeaderCapture _capture = new();
    private byte[]? _line;
    private HttpRequestParser.RequestLine _requestLine;
    private int _lineLength;
    private int _kept;
    private int _partStart;
    private int _total;
    private int _fieldCount;
    private HttpParseStatus _status;
    private Part _part;
    private byte _versionIndex;
    private bool _cr;
    private bool _keep;

    private enum Part : byte
    {
        Leading,
        Method,
        Target,
        Version,
        Name,
        Value,
        Done,
    }

    /// <summary>The head, once <see cref="Feed"/> returned <see cref="HttpParseStatus.Complete"/>.</summary>
    public HttpRequest? Request { get; private set; }

    /// <summary>The length of the pooled line buffer held now (0 when none): what an unfinished head costs.</summary>
    internal int BufferLength => _line?.Length ?? 0;

    /// <summary>
    /// Takes the next bytes of the head: <see cref="HttpParseStatus.Incomplete"/> while a valid prefix, else the decision
    /// (bytes after the deciding one are not looked at). The buffer is returned to the pool once decided.
    /// </summary>
    public HttpParseStatus Feed(ReadOnlySpan<byte> data)
    {
        if (_part == Part.Done)
        {
            return _status;
        }

        foreach (var b in data)
        {
            var status = Take(b);
            if (status != HttpParseStatus.Incomplete)
            {
                _status = status;
                _part = Part.Done;
                Release();
                return status;
            }
        }

        return HttpParseStatus.Incomplete;
    }

    /// <summary>Returns the line buffer to the pool (also for a head abandoned unfinished).</summary>
    public void Release()
    {
        if (_line is not null)
        {
            ArrayPool<byte>.Shared.Return(_line);
            _line = null;
        }

        _capture.Release();
    }

    private HttpParseStatus Take(byte b)
    {
        _total++;
        switch (_part)
        {
            case Part.Leading:
                // RFC 9112 §2.2: a server SHOULD ignore at least one empty line (CRLF) received before the request-line.
                if (b is (byte)'\r' or (byte)'\n')
                {
                    return _total > HttpRequestParser.MaxHeadLength ? HttpParseStatus.HeaderTooLarge : HttpParseStatus.Incomplete;
                }

                _part = Part.Method;
                _keep = true;
                return TakeRequestLine(b);
            case Part.Method or Part.Target or Part.Version:
                return TakeRequestLine(b);
            default:
                return TakeFieldLine(b);
        }
    }

    /// <summary>Appends a byte of the current line to the pooled buffer, growing it (by doubling) up to the line bound.</summary>
    private void Keep(byte b)
    {
        if (_line is null)
        {
            _line = ArrayPool<byte>.Shared.Rent(InitialLineBuffer);
        }
        else if (_kept == _line.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Min(_line.Length * 2, HttpRequestParser.MaxLineLength));
            _line.AsSpan(0, _kept).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_line);
            _line = grown;
        }

        _line[_kept++] = b;
    }

    private ReadOnlySpan<byte> KeptLine => _line is null ? default : _line.AsSpan(0, _kept);

    private void NextLine(Part part)
    {
        _part = part;
        _lineLength = 0;
        _kept = 0;
        _partStart = 0;
        _cr = false;
        _keep = true;
    }
}
