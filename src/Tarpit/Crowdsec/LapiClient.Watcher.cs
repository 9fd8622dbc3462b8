using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Tarpit.Crowdsec;

/// <summary>The machine side of the client: login (a JWT kept until the LAPI refuses it) and <c>POST /v1/alerts</c>.</summary>
internal sealed partial class LapiClient : ILapiAlerts
{
    private string? _token;

    public async Task PushAsync(IReadOnlyList<LapiAlert> alerts, CancellationToken cancellationToken)
    {
        _token ??= await LoginAsync(cancellationToken);
        var status = await PostAlertsAsync(alerts, cancellationToken);
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // The token expired (CrowdSec's last an hour): log in again, once.
            _token = await LoginAsync(cancellationToken);
            status = await PostAlertsAsync(alerts, cancellationToken);
        }

        if (status is not (HttpStatusCode.OK or HttpStatusCode.Created))
        {
            throw new LapiException($"the LAPI answered {(int)status} to the alerts");
        }
    }

    private async Task<HttpStatusCode> PostAlertsAsync(IReadOnlyList<LapiAlert> alerts, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/alerts")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes([.. alerts], CrowdsecJson.Default.ListLapiAlert)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    private async Task<string> LoginAsync(CancellationToken cancellationToken)
    {
        var login = new LapiLogin { MachineId = _config.MachineLogin ?? "", Password = _config.MachinePassword?.Reveal() ?? "" };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/watchers/login")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(login, CrowdsecJson.Default.LapiLogin)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new LapiException($"the LAPI refused the machine login ({(int)response.StatusCode}); check machine_login and its password with cscli machines list");
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(body, CrowdsecJson.Default.LapiLoginAnswer)?.Token is { Length: > 0 } token
                ? token
                : throw new LapiException($"the LAPI's login answer ({(int)response.StatusCode}) has no token");
        }
        catch (JsonException ex)
        {
            throw new LapiException("the LAPI's login answer is not valid JSON", ex);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new LapiException($"cannot reach the LAPI at {_config.LapiUrl}: {Text.AttackerText.Escape(ex.Message, 200)}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LapiException($"the LAPI at {_config.LapiUrl} did not answer within {RequestTimeout.TotalSeconds:0} s", ex);
        }
    }
}
