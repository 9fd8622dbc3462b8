using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CliWrap;

namespace Tarpit.SystemTests.Infrastructure;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c>) run in the foreground as a child process on loopback, with a
/// private config and data directory that disposal removes after stopping it: it scrapes the given targets every
/// second and answers instant queries through its HTTP API.
/// </summary>
internal sealed class RealPrometheus : IAsyncDisposable
{
    public const string Tool = "prometheus";

    private readonly DirectoryInfo _root;
    private readonly CancellationTokenSource _graceful;
    private readonly CancellationTokenSource _forceful;
    private readonly CommandTask<CommandResult> _task;
    private readonly System.Text.StringBuilder _output;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private RealPrometheus(DirectoryInfo root, int port, CommandTask<CommandResult> task, CancellationTokenSource graceful, CancellationTokenSource forceful, System.Text.StringBuilder output)
    {
        _root = root;
        Port = port;
        _task = task;
        _graceful = graceful;
        _forceful = forceful;
        _output = output;
    }

    public int Port { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (<c>127.0.0.1:PORT</c>, path /metrics) every second and waits until it is ready.</summary>
    public static async Task<RealPrometheus> StartAsync(string target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("tarpit-prometheus-");
        var config = Path.Combine(root.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: tarpit
                static_configs:
                  - targets: ["{target}"]
            """, cancellationToken);
        var port = FreeLoopbackPort();
        var graceful = new CancellationTokenSource();
        var forceful = new CancellationTokenSource();
        var output = new System.Text.StringBuilder();
        var task = Cli.Wrap(Tool)
            .WithArguments([
                "--config.file=" + config,
                "--storage.tsdb.path=" + Path.Combine(root.FullName, "data"),
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            ])
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => Append(output, line)))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => Append(output, line)))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(forceful.Token, graceful.Token);
        var prometheus = new RealPrometheus(root, port, task, graceful, forceful, output);
        try
        {
            await prometheus.WaitReadyAsync(timeout, cancellationToken);
        }
        catch
        {
            await prometheus.DisposeAsync();
            throw;
        }

        return prometheus;
    }

    /// <summary>The value of an instant query that returns one sample, or null when it returns none (yet).</summary>
    public async Task<double?> QueryAsync(string query, CancellationToken cancellationToken)
    {
        var uri = $"http://127.0.0.1:{Port}/api/v1/query?query={Uri.EscapeDataString(query)}";
        using var json = JsonDocument.Parse(await _http.GetStringAsync(uri, cancellationToken));
        var data = json.RootElement.GetProperty("data");
        var result = data.GetProperty("result");
        if (result.GetArrayLength() == 0)
        {
            return null;
        }

        var value = result[0].GetProperty("value")[1].GetString()!;
        return double.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Polls <paramref name="query"/> until it returns <paramref name="expected"/>; fails with the last value and Prometheus' output on timeout.</summary>
    public async Task WaitForValueAsync(string query, double expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        double? last = null;
        try
        {
            while (true)
            {
                last = await QueryAsync(query, cts.Token);
                if (last == expected)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), cts.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Prometheus query {query} gave {last?.ToString(CultureInfo.InvariantCulture) ?? "no sample"}, not {expected}, within {timeout.TotalSeconds} s. Prometheus said:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _graceful.CancelAfter(TimeSpan.Zero);
        _forceful.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await _task;
        }
        catch (OperationCanceledException)
        {
        }

        _http.Dispose();
        _graceful.Dispose();
        _forceful.Dispose();
        _root.Delete(recursive: true);
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(System.Text.StringBuilder output, string line)
    {
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        while (true)
        {
            if (_task.Task.IsCompleted)
            {
                throw new InvalidOperationException($"prometheus exited before it was ready:\n{Output}");
            }

            try
            {
                using var response = await _http.GetAsync($"http://127.0.0.1:{Port}/-/ready", cts.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"prometheus was not ready within {timeout.TotalSeconds} s:\n{Output}");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cts.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"prometheus was not ready within {timeout.TotalSeconds} s:\n{Output}");
            }
        }
    }
}
