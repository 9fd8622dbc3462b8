namespace Tarpit.Tarpits;

/// <summary>
/// A mode that is only its config name and the session each connection gets: what most HTTP and TLS modes are, whose
/// shared state lives in their protocol's tarpit object (<c>HttpTarpit</c>, <c>TlsTarpit</c>), not in the mode.
/// </summary>
internal sealed class SessionMode(string name, Func<ITarpitSession> open) : ITarpitMode
{
    public string Name => name;

    public ITarpitSession Open(in SessionOpen connection) => open();
}
