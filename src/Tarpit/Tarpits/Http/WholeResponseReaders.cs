namespace Tarpit.Tarpits.Http;

/// <summary>
/// Scanners that read every response whole within a per-read timeout of a few seconds and report nothing when it
/// passes: a dripped response shows them no title and no headers, where nginx shows both; a scanner is not held by a
/// drip anyway (it gives up), so it gets the response at speed and sees the site nginx would show. Known by the
/// User-Agent its scripts send by default.
/// </summary>
internal static class WholeResponseReaders
{
    /// <summary>
    /// nmap's NSE HTTP library (nselib/http.lua <c>USER_AGENT</c>, the default of every http-* script:
    /// <c>Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)</c>); its reads time out after
    /// the connect timeout + 6 s (nselib/comm.lua <c>REQUEST_TIMEOUT</c>).
    /// </summary>
    public const string NmapScriptingEngine = "Nmap Scripting Engine";

    /// <summary>True for a request whose User-Agent names one of these scanners.</summary>
    public static bool Sent(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.UserAgent?.Contains(NmapScriptingEngine, StringComparison.Ordinal) == true;
    }
}
