using System.Globalization;

namespace Tarpit.Tarpits.Http;

/// <summary>
/// <c>gzip-bomb</c> / <c>deflate-bomb</c>: a small compressed body that inflates to <c>bomb_size</c> bytes of HTML,
/// dripped <c>drip_bytes</c> per interval. The coding follows the client's Accept-Encoding (the mode's own first,
/// then the other); a client accepting neither gets <c>drip</c>. The bomb is built once per process on a background
/// thread; clients that arrive before it is ready are held with endless-header lines.
/// </summary>
internal sealed class CompressionBombSession(HttpTarpit tarpit, BombEncoding preferred) : HttpSession(tarpit)
{
    private byte[]? _bomb;
    private long _offset;
    private BombEncoding _encoding;
    private State _state;
    private bool _keepAlive;

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
        var w = new AsciiWriter(context.Output);
        if (Choose(request.Codings) is not { } chosen)
        {
            _state = State.Plain;
            StaticFileHead.Write(ref w, Tarpit.Server, context.Now, Tarpit.Article.Length, null, _keepAlive, context.Random);
            WriteBody(ref context, w.Length, 0, Tarpit.Article);
            return SessionStep.After(Tarpit.NextInterval(context.Random));
        }

        _encoding = chosen;
        _state = State.WaitingForBomb;
        NginxResponses.WriteStatusAndCore(ref w, "200 OK", Tarpit.Server, context.Now, context.Random.Next(2) == 0 ? "text/html" : "text/html; charset=utf-8");
        if (TryGetBomb() is { } ready)
        {
            return StartBomb(ref context, ref w, ready);
        }

        if (_state == State.Plain)
        {
            return StartPlain(ref context, ref w);
        }

        context.Written = w.Length;
        ResetNoiseLine();
        return SessionStep.After(Tarpit.NextInterval(context.Random));
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
                    return StartPlain(ref context, ref w);
                }

                WriteNoiseLine(ref context);
                return SessionStep.After(Tarpit.NextInterval(context.Random));
            case State.Bomb:
                _offset += AcceptedBody(ref context);
                if (_offset >= _bomb!.Length)
                {
                    return EndResponse(_keepAlive);
                }

                WriteBody(ref context, 0, _offset, _bomb);
                return SessionStep.After(Tarpit.NextInterval(context.Random));
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
        // Waiting clients already have the status line and Server/Date/Content-Type: this completes the same head.
        _bomb = ready;
        _state = State.Bomb;
        // Once per bomb body, not per drip: what it cost the client is read from these at close (metrics).
        context.Observe(BombDetails.CompressedBytes, ready.Length.ToString(CultureInfo.InvariantCulture));
        context.Observe(BombDetails.InflatedBytes, Tarpit.BombSize.ToString(CultureInfo.InvariantCulture));
        StaticFileHead.WriteRest(ref w, context.Now, ready.Length, CompressionBomb.ContentEncoding(_encoding), _keepAlive, context.Random);
        WriteBody(ref context, w.Length, 0, ready);
        return SessionStep.After(Tarpit.NextInterval(context.Random));
    }

    private SessionStep StartPlain(ref SessionContext context, ref AsciiWriter w)
    {
        StaticFileHead.WriteRest(ref w, context.Now, Tarpit.Article.Length, null, _keepAlive, context.Random);
        WriteBody(ref context, w.Length, 0, Tarpit.Article);
        return SessionStep.After(Tarpit.NextInterval(context.Random));
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
