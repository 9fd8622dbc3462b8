using System.Globalization;

namespace Tarpit.Tarpits.Http;

/// <summary>
/// <c>gzip-bomb</c> / <c>deflate-bomb</c>: a small compressed body that inflates to <c>bomb_size</c> bytes of HTML,
/// served as fast as the client reads it (it is small: ~1/1030 of the inflated size), all but its last byte, so the
/// client's decoder inflates the whole document and then waits for a trailer byte that never comes. The coding follows
/// the client's Accept-Encoding (the mode's own first, then the other); a client accepting neither gets <c>drip</c>.
/// Both bombs are built at start on a background thread (<see cref="BombCache.Warm"/>); a client that arrives before
/// its bomb is ready hears nothing until it is (a slow server), never a stream of noise headers.
/// </summary>
internal sealed class CompressionBombSession(HttpTarpit tarpit, BombEncoding preferred) : HttpSession(tarpit)
{
    private byte[]? _bomb;
    private long _offset;
    private BombEncoding _encoding;
    private State _state;
    private bool _keepAlive;
    private short _headLength;
    private int _lastWritten;

    private enum State : byte
    {
        WaitingForBomb,
        Bomb,
        Plain,
    }

    protected override SessionStep Begin(ref SessionContext context, HttpRequest request)
    {
        _keepAlive = request.KeepAlive;
        _offset = 0;
        _bomb = null;
        if (request.Answer != StaticAnswer.Page || request.IsHead || Choose(request.Codings) is not { } chosen)
        {
            // 404/405, HEAD, or no compression accepted: what drip answers (nginx sends no compressed body to HEAD).
            return StartStatic(ref context, request);
        }

        _encoding = chosen;
        _state = State.WaitingForBomb;
        return Continue(ref context);
    }

    protected override SessionStep Continue(ref SessionContext context)
    {
        switch (_state)
        {
            case State.WaitingForBomb:
                if (TryGetBomb() is { } ready)
                {
                    var w = new AsciiWriter(context.Output);
                    return StartBomb(ref context, ref w, ready);
                }

                if (_state == State.Plain)
                {
                    var w = new AsciiWriter(context.Output);
                    StaticFileHead.Write(ref w, Tarpit, context.Now, Tarpit.Article.Length, null, null, _keepAlive);
                    WriteBody(ref context, w.Length, 0, Tarpit.Article);
                    return SessionStep.After(Tarpit.NextInterval(context.Random));
                }

                context.Written = 0;
                return SessionStep.After(Tarpit.NextInterval(context.Random));
            case State.Bomb:
                return SendBomb(ref context);
            default:
                _offset += AcceptedBody(ref context);
                if (_offset >= Tarpit.Article.Length)
                {
                    return EndResponse(_keepAlive);
                }

                WriteBody(ref context, 0, _offset, Tarpit.Article);
                return SessionStep.After(Tarpit.NextInterval(context.Random));
        }
    }

    private SessionStep StartBomb(ref SessionContext context, ref AsciiWriter w, byte[] ready)
    {
        _bomb = ready;
        _state = State.Bomb;
        // Once per bomb body, not per drip: what it cost the client is read from these at close (metrics).
        context.Summarize(BombDetails.CompressedBytes, ready.Length.ToString(CultureInfo.InvariantCulture));
        context.Summarize(BombDetails.InflatedBytes, Tarpit.BombSize.ToString(CultureInfo.InvariantCulture));
        StaticFileHead.Write(ref w, Tarpit, context.Now, ready.Length, null, CompressionBomb.ContentEncoding(_encoding), _keepAlive);
        context.Written = w.Length;
        _headLength = (short)w.Length;
        _lastWritten = 0;
        return SessionStep.After(TimeSpan.Zero);
    }

    /// <summary>
    /// The next output-buffer-full of the bomb (the scheduler sends one per pass, ~400 KB/s), but never its last byte:
    /// then the connection is held, reading nothing, until max_hold. A client that stopped reading is waited for an
    /// interval.
    /// </summary>
    private SessionStep SendBomb(ref SessionContext context)
    {
        var accepted = Math.Clamp(context.LastSent - _headLength, 0, _lastWritten);
        var written = _lastWritten;
        _headLength = 0;
        _lastWritten = 0;
        _offset += accepted;
        var held = _bomb!.Length - 1;
        if (_offset >= held)
        {
            return SessionStep.AwaitInput(HttpTarpit.SilentWait);
        }

        var count = (int)Math.Min(context.Output.Length, held - _offset);
        _bomb.AsSpan((int)_offset, count).CopyTo(context.Output);
        context.Written = count;
        _lastWritten = count;
        return SessionStep.After(accepted < written ? Tarpit.NextInterval(context.Random) : TimeSpan.Zero);
    }

    private BombEncoding? Choose(ContentCodings accepted)
    {
        var other = preferred == BombEncoding.Gzip ? BombEncoding.Deflate : BombEncoding.Gzip;
        return accepted.HasFlag(Flag(preferred)) ? preferred : accepted.HasFlag(Flag(other)) ? other : null;
    }

    private static ContentCodings Flag(BombEncoding encoding) => encoding == BombEncoding.Gzip ? ContentCodings.Gzip : ContentCodings.Deflate;

    /// <summary>The cached bomb, or null while it builds; a failed build switches the session to the plain drip page.</summary>
    private byte[]? TryGetBomb()
    {
        try
        {
            return BombCache.TryGet(_encoding, Tarpit.BombSize);
        }
        catch (InvalidOperationException)
        {
            _state = State.Plain;
            return null;
        }
    }
}
