using System.Diagnostics;
using System.Text.Json;
using CliWrap;
using Tarpit.SystemTests.Infrastructure;
using Tarpit.SystemTests.Resilience;

namespace Tarpit.SystemTests.Reporting;

/// <summary>
/// Issue 19 §3 with the Native AOT daemon in a server namespace the test created and a local stand-in for AbuseIPDB's
/// report endpoint on that namespace's loopback (python3, speaking the contract: form fields, <c>Key</c> header, 200
/// JSON, 422 for a second report of one address within 15 minutes). A ban the daemon decides from its sshd watch is
/// reported exactly once, with the user name the client typed nowhere in it; a restart reports nothing again; a ban
/// fail2ban restored after its own restart (<c>--restored 1</c>, with <c>manual</c> listed) queues nothing.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AbuseIpDbReportTests
{
    private const int Port = 8099;
    private const string Key = "system-test-key-5f0c9a";

    /// <summary>The stand-in: one JSON line per request in REQUESTS, a READY file once bound.</summary>
    private const string Server = """
        import json, sys, time, urllib.parse
        from http.server import BaseHTTPRequestHandler, HTTPServer
        requests, ready = sys.argv[1], sys.argv[2]
        last = {}
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                form = {k: v[0] for k, v in urllib.parse.parse_qs(body).items()}
                ip = form.get("ip", "")
                if self.headers.get("Key") != "KEY":
                    status, answer = 401, {"errors": [{"detail": "Authentication failed."}]}
                elif ip in last and time.time() - last[ip] < 900:
                    status, answer = 422, {"errors": [{"detail": "You can only report the same IP address once in 15 minutes."}]}
                else:
                    last[ip] = time.time()
                    status, answer = 200, {"data": {"ipAddress": ip, "abuseConfidenceScore": 52}}
                with open(requests, "a") as f:
                    f.write(json.dumps({"path": self.path, "key": self.headers.get("Key"), "accept": self.headers.get("Accept"), "form": form, "status": status}) + "\n")
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            def log_message(self, *args):
                pass
        server = HTTPServer(("127.0.0.1", PORT), Handler)
        open(ready, "w").close()
        server.serve_forever()
        """;

    [SystemFact(true, "ip", "nft", "python3", NeedsAotAgent = true)]
    public async Task A_ban_the_daemon_decides_is_reported_once_never_again_after_a_restart_and_a_restored_ban_not_at_all()
    {
        Prerequisites.Require(true, "ip", "nft", "python3");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        await using var scene = await DaemonScene.CreateAsync(ct, binary: AgentBinary.Aot);
        var requests = Path.Combine(scene.Directory, "requests.jsonl");
        var ready = Path.Combine(scene.Directory, "ready");
        var keyFile = Path.Combine(scene.Directory, "abuseipdb.key");
        await File.WriteAllTextAsync(keyFile, Key + "\n", ct);
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var script = Path.Combine(scene.Directory, "abuseipdb.py");
        await File.WriteAllTextAsync(script, Server.Replace("KEY", Key, StringComparison.Ordinal).Replace("PORT", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), ct);
        using var stopServer = new CancellationTokenSource();
        var serverLog = new System.Text.StringBuilder();
        var server = Cli.Wrap("ip")
            .WithArguments(["netns", "exec", scene.Network.Server, "python3", "-u", script, requests, ready])
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(serverLog))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(serverLog))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(stopServer.Token).Task;
        try
        {
            await WaitAsync(() => File.Exists(ready), TimeSpan.FromSeconds(30), () => $"the stand-in did not start: {serverLog}", ct);
            await File.AppendAllTextAsync(scene.ConfigPath, $"""

                [abuseipdb]
                api_key_file = "{keyFile}"
                api_url = "http://127.0.0.1:{Port}/api/v2/report"
                report = ["sshd", "manual"]
                """, ct);

            // A ban the daemon decides itself: one failed login in its watched log (max_retry = 1).
            var first = await scene.StartAsync(ct);
            await scene.OffendAsync("203.0.113.50", ct);
            await WaitAsync(() => Lines(requests).Count >= 1, TimeSpan.FromSeconds(30), () => "no report reached the stand-in:\n" + first.Output, ct);
            var report = JsonDocument.Parse(Assert.Single(Lines(requests))).RootElement;
            Assert.Equal("/api/v2/report", report.GetProperty("path").GetString());
            Assert.Equal(Key, report.GetProperty("key").GetString());
            Assert.Equal("application/json", report.GetProperty("accept").GetString());
            Assert.Equal(200, report.GetProperty("status").GetInt32());
            var form = report.GetProperty("form");
            Assert.Equal("203.0.113.50", form.GetProperty("ip").GetString());
            Assert.Equal("18,22", form.GetProperty("categories").GetString());
            var comment = form.GetProperty("comment").GetString()!;
            Assert.StartsWith("SSH brute force", comment, StringComparison.Ordinal);
            Assert.DoesNotContain("admin", comment, StringComparison.Ordinal);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$", form.GetProperty("timestamp").GetString()!);
            Assert.DoesNotContain(Key, first.Output, StringComparison.Ordinal);

            // A restart: nothing is sent again; fail2ban's restored ban (manual is listed) queues nothing.
            await first.StopAsync(TimeSpan.FromSeconds(30));
            Assert.Contains("The reporting part stopped", first.Output, StringComparison.Ordinal);
            Assert.Contains("Tarpit agent stopped", first.Output, StringComparison.Ordinal);
            await first.DisposeAsync();
            var second = await scene.StartAsync(ct);
            var (code, output) = await scene.VerbAsync(["ban", "203.0.113.77", "--source", "fail2ban", "--restored", "1", "--reason", "restored by fail2ban"], ct);
            Assert.True(code == 0, $"exit {code}: {output}");
            (code, output) = await scene.VerbAsync(["status"], ct);
            Assert.Contains("abuseipdb: 0 queued, 1 sent, 0 duplicate, 0 failed", output, StringComparison.Ordinal);
            // Long enough for a re-send after start to have happened (the reporter's first pass is at once).
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            Assert.Single(Lines(requests));
            Assert.DoesNotContain(Key, second.Output, StringComparison.Ordinal);
        }
        finally
        {
            await stopServer.CancelAsync();
            try
            {
                await server;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static List<string> Lines(string path) =>
        File.Exists(path) ? [.. File.ReadAllLines(path).Where(l => l.Length > 0)] : [];

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, failure());
            await Task.Delay(200, cancellationToken);
        }
    }
}
