using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tarpit.Tests.Reporting;

/// <summary>
/// A local stand-in for AbuseIPDB's report endpoint on loopback (the real service is out of reach from the test
/// machines): it takes <c>POST /api/v2/report</c> with a form, checks the <c>Key</c> header and <c>Accept</c>, answers
/// 200 with AbuseIPDB's JSON, 422 to a second report of one address within 15 minutes (as AbuseIPDB does), and
/// whatever status the test queued first (429 with a Retry-After, 500).
/// </summary>
internal sealed class AbuseIpDbTestServer : IDisposable
{
    public const string Key = "test-key-0123456789abcdef";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastReport = new(StringComparer.Ordinal);

    public AbuseIpDbTestServer()
    {
        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/api/v2/report");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri Url { get; }

    /// <summary>Answers to give before the normal ones: a status and its headers.</summary>
    public ConcurrentQueue<(int Status, IReadOnlyDictionary<string, string> Headers)> Scripted { get; } = new();

    /// <summary>Every request: its form, headers and the status answered.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    public void Dispose()
    {
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(10));
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var form = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p.Length > 1 ? p[1] : string.Empty), StringComparer.Ordinal);
        var response = context.Response;
        int status;
        string json;
        if (context.Request.HttpMethod != "POST" || context.Request.Url?.AbsolutePath != "/api/v2/report")
        {
            (status, json) = (404, "{\"errors\":[{\"detail\":\"not found\"}]}");
        }
        else if (context.Request.Headers["Key"] != Key)
        {
            (status, json) = (401, "{\"errors\":[{\"detail\":\"Authentication failed.\",\"status\":401}]}");
        }
        else if (Scripted.TryDequeue(out var scripted))
        {
            status = scripted.Status;
            json = "{\"errors\":[{\"detail\":\"scripted\"}]}";
            foreach (var (name, value) in scripted.Headers)
            {
                response.Headers[name] = value;
            }
        }
        else if (form.TryGetValue("ip", out var ip) && _lastReport.TryGetValue(ip, out var last) && DateTimeOffset.UtcNow - last < TimeSpan.FromMinutes(15))
        {
            (status, json) = (422, $"{{\"errors\":[{{\"detail\":\"You can only report the same IP address (`{ip}`) once in 15 minutes.\",\"status\":422}}]}}");
        }
        else
        {
            _lastReport[form.GetValueOrDefault("ip", string.Empty)] = DateTimeOffset.UtcNow;
            (status, json) = (200, $"{{\"data\":{{\"ipAddress\":\"{form.GetValueOrDefault("ip")}\",\"abuseConfidenceScore\":52}}}}");
        }

        Requests.Enqueue(new Received(form, context.Request.Headers["Key"], context.Request.Headers["Accept"], context.Request.ContentType, status));
        response.StatusCode = status;
        response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(json);
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    internal sealed record Received(IReadOnlyDictionary<string, string> Form, string? Key, string? Accept, string? ContentType, int Status);
}
