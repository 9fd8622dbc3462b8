using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Tarpit.Config;
using Tarpit.Store;

namespace Tarpit.Reporting;

/// <summary>
/// AbuseIPDB's report endpoint (https://docs.abuseipdb.com/#report-endpoint): <c>POST api_url</c> with the form fields
/// <c>ip</c>, <c>categories</c>, <c>comment</c> and <c>timestamp</c> (ISO 8601), the key in the <c>Key</c> header and
/// <c>Accept: application/json</c>. The key is read once from <c>api_key_file</c> and lives only in the client's
/// default headers: it is never logged, printed or put in an exception message.
/// </summary>
internal sealed class AbuseIpDbClient : IReportSender, IDisposable
{
    /// <summary>One report is a small form; a service that has not answered in this long is treated as down (retried).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>429 without a usable Retry-After: wait this long.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait a Retry-After may ask for: AbuseIPDB's limits are daily, so a day at most.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    /// <summary>We read no body: the status says it all. The bound keeps a broken server from filling memory.</summary>
    private const int MaxResponseBytes = 64 * 1024;

    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly TimeProvider _time;

    private AbuseIpDbClient(HttpClient http, Uri url, TimeProvider time)
    {
        _http = http;
        _url = url;
        _time = time;
    }

    /// <summary>Reads the key (its first line, trimmed); throws <see cref="OperatorException"/> naming the file, never its content, when it cannot.</summary>
    public static AbuseIpDbClient Create(AbuseIpDbConfig config, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (AbuseIpDbSection.KeyFileProblem(config.ApiKeyFile) is { } problem)
        {
            throw new OperatorException($"The AbuseIPDB key file '{config.ApiKeyFile}' {problem}.", ExitCodes.Config);
        }

        string key;
        using (var reader = new StreamReader(config.ApiKeyFile))
        {
            key = reader.ReadLine()!.Trim();
        }

        var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            AllowAutoRedirect = false,
            UseProxy = false,
        })
        {
            Timeout = RequestTimeout,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
        http.DefaultRequestHeaders.TryAddWithoutValidation("Key", key);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("tarpit-agent", "1"));
        return new AbuseIpDbClient(http, config.ApiUrl, time);
    }

    /// <summary>The form AbuseIPDB reads (public for the tests' server).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Form(ReportRow report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return
        [
            new("ip", report.Address),
            new("categories", report.Categories),
            new("comment", report.Comment),
            new("timestamp", report.OffenceAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture)),
        ];
    }

    public async Task<ReportResult> SendAsync(ReportRow report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        try
        {
            using var content = new FormUrlEncodedContent(Form(report));
            using var response = await _http.PostAsync(_url, content, cancellationToken);
            var status = (int)response.StatusCode;
            var error = string.Create(CultureInfo.InvariantCulture, $"HTTP {status}");
            return status switch
            {
                >= 200 and < 300 => new ReportResult(ReportResultKind.Accepted, status, error),
                (int)HttpStatusCode.UnprocessableContent => new ReportResult(ReportResultKind.Duplicate, status, error),
                (int)HttpStatusCode.TooManyRequests => new ReportResult(ReportResultKind.RateLimited, status, error, RetryAfter(response.Headers.RetryAfter, _time.GetUtcNow())),
                >= 500 or (int)HttpStatusCode.RequestTimeout => new ReportResult(ReportResultKind.Transient, status, error),
                _ => new ReportResult(ReportResultKind.Refused, status, error),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            // The message of a network error names the host and the reason, never a header.
            return new ReportResult(ReportResultKind.Transient, null, ex is TaskCanceledException ? "timed out" : Text.AttackerText.Escape(ex.Message, 200));
        }
    }

    /// <summary>Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3), bounded to 1 s .. <see cref="MaxRetryAfter"/>.</summary>
    public static TimeSpan RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        var wait = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => DefaultRetryAfter,
        };
        return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait > MaxRetryAfter ? MaxRetryAfter : wait;
    }

    public void Dispose() => _http.Dispose();
}
