namespace Tarpit.Tarpits.Http;

internal abstract partial class HttpSession
{
    private int _lastBodyWritten;
    private short _lastHeadWritten;

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
