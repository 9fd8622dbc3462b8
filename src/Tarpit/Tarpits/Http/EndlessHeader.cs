namespace Tarpit.Tarpits.Http;

/// <summary>
/// <c>endless-header</c>: a current nginx status line and headers, then one plausible header line per interval,
/// forever; the header block never ends, so a client never reaches a body.
/// </summary>
internal sealed class EndlessHeader(HttpTarpit tarpit) : ITarpitMode
{
    public string Name => "endless-header";

    public ITarpitSession Open(in SessionOpen open) => new EndlessHeaderSession(tarpit);
}
