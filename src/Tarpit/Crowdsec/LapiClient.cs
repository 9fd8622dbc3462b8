using System.Net;
using System.Net.Http.Headers;
using Tarpit.Config;

namespace Tarpit.Crowdsec;

/// <summary>
/// The agent's HTTP client of one LAPI (<c>[crowdsec] lapi_url</c>): SocketsHttpHandler, no proxy, bounded answers,
/// the decision stream read as it arrives (<see cref="DecisionStreamReader"/>), the watcher's JSON through <see cref="CrowdsecJson"/>. As a bouncer it sends the key in <c>X-Api-Key</c>.
/// </summary>
internal sealed partial class LapiClient : ILapiDecisions, IDisposable
{
    /// <summary>
    /// Bound on an answer read whole (the watcher's login and alert answers: a token, a list of ids); the decision
    /// stream is not read whole and has its own bounds (<see cref="DecisionStreamReader"/>).
    /// </summary>
    public const long MaxResponseBytes = 1024 * 1024;

    /// <summary>A request may wait this long for the answer's headers, and then for each read of its body.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly CrowdsecConfig _config;

    public LapiClient(CrowdsecConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.GZip,
        };
        _http = new HttpClient(handler)
        {
            BaseAddress = config.LapiUrl,
            Timeout = RequestTimeout,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("tarpit-agent", "1"));
    }

    public async Task<bool> PullAsync(bool startup, IDecisionSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var key = _config.BouncerKey ?? throw new InvalidOperationException("no bouncer key");
        using var request = new HttpRequestMessage(HttpMethod.Get, startup ? "v1/decisions/stream?startup=true&scopes=ip,range" : "v1/decisions/stream?scopes=ip,range");
        request.Headers.Add("X-Api-Key", key.Reveal());
        try
        {
            // Headers only: the body is read as it arrives (a snapshot of 100,000 decisions is ~19 MB).
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
            {
                throw new LapiException($"the LAPI refused the bouncer key ({(int)response.StatusCode}); check bouncer_key with cscli bouncers list");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new LapiException($"the LAPI answered {(int)response.StatusCode} {Text.AttackerText.Escape(response.ReasonPhrase ?? "", 64)}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await DecisionStreamReader.ReadAsync(body, sink, DecisionStreamReader.MaxBodyBytes, RequestTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new LapiException($"cannot reach the LAPI at {_config.LapiUrl}: {Text.AttackerText.Escape(ex.Message, 200)}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LapiException($"the LAPI at {_config.LapiUrl} did not answer within {RequestTimeout.TotalSeconds:0} s", ex);
        }
    }

    public void Dispose() => _http.Dispose();
}
