using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Tarpit.Config;

namespace Tarpit.Crowdsec;

/// <summary>
/// The agent's HTTP client of one LAPI (<c>[crowdsec] lapi_url</c>): SocketsHttpHandler, no proxy, bounded answers,
/// JSON through <see cref="CrowdsecJson"/>. As a bouncer it sends the key in <c>X-Api-Key</c>.
/// </summary>
internal sealed partial class LapiClient : ILapiDecisions, IDisposable
{
    /// <summary>
    /// Bound on one answer: a startup snapshot of 100,000 decisions is ~25 MB of JSON (about 250 bytes each); 128 MiB
    /// leaves room for five times that and stops a LAPI (or something posing as one) from filling the memory.
    /// </summary>
    public const long MaxResponseBytes = 128L * 1024 * 1024;

    /// <summary>Bound on the decisions one answer may carry (new and deleted each); beyond it the rest is dropped, with a warning.</summary>
    public const int MaxDecisionsPerResponse = 500_000;

    /// <summary>One request may take this long (a 100,000-decision snapshot takes about a second on loopback).</summary>
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

    public async Task<LapiDecisionStream> PullAsync(bool startup, CancellationToken cancellationToken)
    {
        var key = _config.BouncerKey ?? throw new InvalidOperationException("no bouncer key");
        using var request = new HttpRequestMessage(HttpMethod.Get, startup ? "v1/decisions/stream?startup=true&scopes=ip,range" : "v1/decisions/stream?scopes=ip,range");
        request.Headers.Add("X-Api-Key", key.Reveal());
        byte[] body;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
            {
                throw new LapiException($"the LAPI refused the bouncer key ({(int)response.StatusCode}); check bouncer_key with cscli bouncers list");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new LapiException($"the LAPI answered {(int)response.StatusCode} {Text.AttackerText.Escape(response.ReasonPhrase ?? "", 64)}");
            }

            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new LapiException($"cannot reach the LAPI at {_config.LapiUrl}: {Text.AttackerText.Escape(ex.Message, 200)}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LapiException($"the LAPI at {_config.LapiUrl} did not answer within {RequestTimeout.TotalSeconds:0} s", ex);
        }

        return Parse(body);
    }

    /// <summary>The stream's JSON (<c>null</c> lists as empty), each list cut to <see cref="MaxDecisionsPerResponse"/>.</summary>
    internal static LapiDecisionStream Parse(ReadOnlySpan<byte> body)
    {
        LapiDecisionStream? stream;
        try
        {
            stream = JsonSerializer.Deserialize(body, CrowdsecJson.Default.LapiDecisionStream);
        }
        catch (JsonException ex)
        {
            throw new LapiException($"the LAPI's decision stream is not valid JSON ({Text.AttackerText.Escape(ex.Message, 200)})", ex);
        }

        stream ??= new LapiDecisionStream();
        stream.Truncated = stream.New?.Count > MaxDecisionsPerResponse || stream.Deleted?.Count > MaxDecisionsPerResponse;
        stream.New = Bound(stream.New);
        stream.Deleted = Bound(stream.Deleted);
        return stream;
    }

    public void Dispose() => _http.Dispose();

    private static List<LapiDecision> Bound(List<LapiDecision>? decisions)
    {
        if (decisions is null)
        {
            return [];
        }

        decisions.RemoveAll(d => d is null);
        if (decisions.Count > MaxDecisionsPerResponse)
        {
            decisions.RemoveRange(MaxDecisionsPerResponse, decisions.Count - MaxDecisionsPerResponse);
        }

        return decisions;
    }
}
