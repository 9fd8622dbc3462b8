namespace Tarpit.Tarpits.Http;

/// <summary>
/// <c>fake-auth</c>: every request gets a slow <c>401</c> with <c>WWW-Authenticate: Basic realm="…"</c> (the head
/// after a pause, the nginx 401 page dripped); on keep-alive the next request is read, and each offered credential is
/// decoded, escaped and published. At most <see cref="HttpTarpit.MaxRequestsPerConnection"/> requests per connection.
/// </summary>
internal sealed class FakeAuth(HttpTarpit tarpit) : ITarpitMode
{
    public string Name => "fake-auth";

    public ITarpitSession Open(in SessionOpen open) => new FakeAuthSession(tarpit);
}
