namespace Tarpit.Tarpits.Http;

/// <summary>
/// <c>drip</c>: a complete static-file head promising <c>content_length</c> bytes, then a plausible HTML page dripped
/// <c>drip_bytes</c> per interval.
/// </summary>
internal sealed class Drip(HttpTarpit tarpit) : ITarpitMode
{
    public string Name => "drip";

    public ITarpitSession Open(in SessionOpen open) => new DripSession(tarpit);
}
