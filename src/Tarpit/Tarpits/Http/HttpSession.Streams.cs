namespace Tarpit.Tarpits.Http;

internal abstract partial class HttpSession
{
    private int _lineSeed;
    private short _lineLength;
    private short _lineSent;
    private int _lastBodyWritten;
    private short _lastHeadWritten;

    /// <summary>
    /// Writes the next noise header line, or the rest of the previous one when the kernel took only part of it (the
    /// line is regenerated from its seed, so nothing is buffered).
    /// </summary>
    protected void WriteNoiseLine(ref SessionContext context)
    {
        _lineSent += (short)Math.Min(context.LastSent, _lineLength - _lineSent);
        if (_lineSent >= _lineLength)
        {
            _lineSeed = context.Random.Next();
            _lineSent = 0;
        }

        var w = new AsciiWriter(context.Output);
        HeaderNoise.WriteLine(ref w, Tarpit.Noise.Reseed(_lineSeed));
        _lineLength = (short)w.Length;
        context.Output[_lineSent.._lineLength].CopyTo(context.Output);
        context.Written = _lineLength - _lineSent;
    }

    /// <summary>Forgets the line stream (the next step's LastSent is about something else).</summary>
    protected void ResetNoiseLine()
    {
        _lineLength = 0;
        _lineSent = 0;
    }

    /// <summary>
    /// Appends up to drip_bytes of a body (from <paramref name="offset"/>) after <paramref name="headLength"/> bytes
    /// already in the output. On the next step <see cref="AcceptedBody"/> tells how much of it the kernel took.
    /// </summary>
    protected void WriteBody(ref SessionContext context, int headLength, long offset, HtmlDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        WriteBody(ref context, headLength, offset, document.Length, document);
    }

    /// <summary>Like <see cref="WriteBody(ref SessionContext, int, long, HtmlDocument)"/>, stopping before <paramref name="end"/>.</summary>
    protected void WriteBody(ref SessionContext context, int headLength, long offset, long end, HtmlDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var count = DripCount(ref context, headLength, offset, Math.Min(end, document.Length));
        _lastBodyWritten = document.CopyTo(offset, context.Output.Slice(headLength, count));
        _lastHeadWritten = (short)headLength;
        context.Written = headLength + _lastBodyWritten;
    }

    /// <inheritdoc cref="WriteBody(ref SessionContext, int, long, HtmlDocument)"/>
    protected void WriteBody(ref SessionContext context, int headLength, long offset, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var count = DripCount(ref context, headLength, offset, body.Length);
        body.AsSpan((int)offset, count).CopyTo(context.Output[headLength..]);
        _lastBodyWritten = count;
        _lastHeadWritten = (short)headLength;
        context.Written = headLength + count;
    }

    /// <summary>Body bytes of the previous step the kernel accepted (a head written before them counts first).</summary>
    protected int AcceptedBody(ref SessionContext context)
    {
        var accepted = Math.Clamp(context.LastSent - _lastHeadWritten, 0, _lastBodyWritten);
        _stalled = context.LastSent < _lastHeadWritten + _lastBodyWritten;
        _lastBodyWritten = 0;
        _lastHeadWritten = 0;
        return accepted;
    }

    private int DripCount(ref SessionContext context, int headLength, long offset, long length) =>
        (int)Math.Max(0, Math.Min(Math.Min(_atSpeed ? int.MaxValue : Tarpit.DripBytes, context.Output.Length - headLength), length - offset));
}
