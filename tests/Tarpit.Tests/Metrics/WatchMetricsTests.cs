using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;
using Tarpit.Config;
using Tarpit.Detection.Filters;
using Tarpit.Detection.Judgement;
using Tarpit.Detection.Sources;
using Tarpit.Metrics;
using Tarpit.Tests.Detection;

namespace Tarpit.Tests.Metrics;

/// <summary>A watch's judge counts every line it reads and every offence its filter finds; its source counts the lines it cut.</summary>
public sealed class WatchMetricsTests
{
    private static readonly WatchConfig Watch = new("ssh-auth", "sshd", null, "/var/log/auth.log", null, MaxRetry: 3, FindTime: TimeSpan.FromMinutes(10));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task The_judge_counts_lines_read_and_matched_under_the_watch_name()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var metrics = new AgentMetrics("0");
        var judge = new WatchJudge(Watch, new SshdFilter(), new RecordingBanService(), Logger.None, _time, metrics.ForWatch(Watch.Name));
        var lines = Channel.CreateUnbounded<LogLine>();
        foreach (var text in (string[])["Invalid user a from 192.0.2.1 port 22", "Accepted publickey for b from 192.0.2.9 port 22 ssh2", "Invalid user c from 192.0.2.2 port 22", "unrelated noise"])
        {
            await lines.Writer.WriteAsync(new LogLine(text, _time.GetUtcNow()), cts.Token);
        }

        lines.Writer.Complete();
        await judge.RunAsync(lines.Reader, cts.Token);
        var exposition = await Exposition.ScrapeAsync(metrics);

        Assert.Equal(4, exposition.Value("tarpit_watch_lines_read_total", "watch=\"ssh-auth\""));
        Assert.Equal(2, exposition.Value("tarpit_watch_lines_matched_total", "watch=\"ssh-auth\""));
    }

    [Fact]
    public async Task A_cut_line_is_counted_as_it_is_warned_about()
    {
        var metrics = new AgentMetrics("0");
        var meters = metrics.ForWatch("nginx");
        var counter = new CutLineCounter("/var/log/nginx/error.log", 16, Logger.None, _time) { OnCut = meters.LineCut };

        counter.Record("x"u8);
        counter.Record("a very long line");
        var exposition = await Exposition.ScrapeAsync(metrics);

        Assert.Equal(2, counter.Count);
        Assert.Equal(2, exposition.Value("tarpit_watch_lines_cut_total", "watch=\"nginx\""));
    }
}
