using System.Net;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;
using Tarpit.Config;
using Tarpit.Detection.Filters;
using Tarpit.Detection.Judgement;

namespace Tarpit.Tests.Detection;

public sealed class WatchJudgeTests
{
    private static readonly WatchConfig Watch = new("ssh-auth", "sshd", null, "/var/log/auth.log", null, MaxRetry: 3, FindTime: TimeSpan.FromMinutes(10));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Max_retry_failures_within_find_time_make_one_ban_request_with_source_and_reason()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bans = new RecordingBanService();
        var judge = new WatchJudge(Watch, new SshdFilter(), bans, Logger.None, _time);

        for (var i = 0; i < 3; i++)
        {
            await judge.JudgeAsync(Line("Failed password for invalid user a\u001b[2J from 192.0.2.1 port 22 ssh2"), cts.Token);
            _time.Advance(TimeSpan.FromMinutes(4));
        }

        var request = Assert.Single(bans.Requests);
        Assert.Equal(IPNetwork.Parse("192.0.2.1/32"), request.Target);
        Assert.Equal("ssh-auth", request.Source);
        Assert.StartsWith("sshd: 3 offences within 10m, last: ", request.Reason, StringComparison.Ordinal);
        Assert.Contains("a\\x1b[2J from 192.0.2.1", request.Reason, StringComparison.Ordinal);
        Assert.Null(request.Duration);
    }

    [Fact]
    public async Task Failures_spread_wider_than_find_time_never_ban()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bans = new RecordingBanService();
        var judge = new WatchJudge(Watch, new SshdFilter(), bans, Logger.None, _time);

        for (var i = 0; i < 6; i++)
        {
            await judge.JudgeAsync(Line("Invalid user a from 192.0.2.2 port 22"), cts.Token);
            _time.Advance(TimeSpan.FromMinutes(6));
        }

        Assert.Empty(bans.Requests);
    }

    [Fact]
    public async Task Allowlisted_addresses_are_never_counted_or_banned()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bans = new RecordingBanService(IPNetwork.Parse("192.0.2.0/24"));
        var judge = new WatchJudge(Watch, new SshdFilter(), bans, Logger.None, _time);

        for (var i = 0; i < 5; i++)
        {
            await judge.JudgeAsync(Line("Invalid user a from 192.0.2.3 port 22"), cts.Token);
        }

        Assert.Empty(bans.Requests);
        Assert.Equal(0, judge.TrackedAddresses);
    }

    [Fact]
    public async Task History_older_than_find_time_is_never_counted_after_a_restart()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bans = new RecordingBanService();
        var judge = new WatchJudge(Watch, new SshdFilter(), bans, Logger.None, _time);

        // an hour-old burst, read back from the file after a restart
        for (var i = 0; i < 5; i++)
        {
            await judge.JudgeAsync(Line("2026-11-23T09:00:0" + i + "+00:00 h sshd[1]: Invalid user a from 192.0.2.4 port 22"), cts.Token);
        }

        // a recent burst still counts
        for (var i = 0; i < 3; i++)
        {
            await judge.JudgeAsync(Line("2026-11-23T09:55:0" + i + "+00:00 h sshd[1]: Invalid user a from 192.0.2.5 port 22"), cts.Token);
        }

        Assert.Equal(IPNetwork.Parse("192.0.2.5/32"), Assert.Single(bans.Requests).Target);
    }

    [Fact]
    public async Task Run_judges_lines_from_the_channel_as_they_arrive()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bans = new RecordingBanService();
        var judge = new WatchJudge(Watch, new SshdFilter(), bans, Logger.None, _time);
        var channel = System.Threading.Channels.Channel.CreateBounded<LogLine>(16);
        var running = judge.RunAsync(channel.Reader, cts.Token);

        for (var i = 0; i < 3; i++)
        {
            await channel.Writer.WriteAsync(Line("Invalid user a from 2001:db8::6 port 22"), cts.Token);
        }

        await bans.WaitAsync(cts.Token);
        channel.Writer.Complete();
        await running;

        Assert.Equal(IPNetwork.Parse("2001:db8::6/128"), Assert.Single(bans.Requests).Target);
    }

    [Fact]
    public async Task Run_hands_the_bans_of_lines_queued_together_to_the_ban_service_in_batches_of_at_most_MaxBatch()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bans = new RecordingBanService();
        var judge = new WatchJudge(Watch, new SshdFilter(), bans, Logger.None, _time);
        var offenders = WatchJudge.MaxBatch + 2;
        var channel = System.Threading.Channels.Channel.CreateUnbounded<LogLine>();
        for (var i = 0; i < offenders; i++)
        {
            for (var failure = 0; failure < Watch.MaxRetry; failure++)
            {
                channel.Writer.TryWrite(Line($"Invalid user a from 10.0.{i / 256}.{i % 256} port 22"));
            }
        }

        channel.Writer.Complete();
        await judge.RunAsync(channel.Reader, cts.Token);

        Assert.Equal([WatchJudge.MaxBatch, 2], bans.Batches);
        Assert.Equal(offenders, bans.Requests.Select(r => r.Target).Distinct().Count());
    }

    [Fact]
    public async Task Long_offence_lines_with_non_ascii_user_names_ban_instead_of_failing_the_pass()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bans = new RecordingBanService();
        var judge = new WatchJudge(Watch, new SshdFilter(), bans, Logger.None, _time);
        var channel = System.Threading.Channels.Channel.CreateUnbounded<LogLine>();
        for (var i = 0; i < Watch.MaxRetry; i++)
        {
            channel.Writer.TryWrite(Line("Invalid user " + new string('é', 300) + new string('a', 600) + " from 192.0.2.7 port 22"));
        }

        channel.Writer.Complete();
        await judge.RunAsync(channel.Reader, cts.Token);

        var request = Assert.Single(bans.Requests);
        Assert.Equal(IPNetwork.Parse("192.0.2.7/32"), request.Target);
        Assert.Contains(@"\xc3\xa9", request.Reason, StringComparison.Ordinal);
        Assert.Equal(0, judge.FailedLines);
    }

    [Fact]
    public async Task A_line_that_fails_is_logged_escaped_and_counted_and_the_rest_of_its_batch_is_still_banned()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bans = new RecordingBanService();
        var sink = new Tarpit.Tests.Tarpits.CollectingLogSink();
        var judge = new WatchJudge(Watch, new ThrowingFilter(), bans, sink.CreateLogger(), _time);
        var channel = System.Threading.Channels.Channel.CreateUnbounded<LogLine>();
        for (var i = 0; i < Watch.MaxRetry; i++)
        {
            channel.Writer.TryWrite(Line("Invalid user a from 192.0.2.8 port 22"));
            channel.Writer.TryWrite(Line("Invalid user " + ThrowingFilter.Trigger + "\u001b[2J from 192.0.2.9 port 22"));
            channel.Writer.TryWrite(Line("Invalid user b from 198.51.100.8 port 22"));
        }

        channel.Writer.Complete();
        await judge.RunAsync(channel.Reader, cts.Token);

        Assert.Equal([2], bans.Batches);
        Assert.Equal([IPNetwork.Parse("192.0.2.8/32"), IPNetwork.Parse("198.51.100.8/32")], bans.Requests.Select(r => r.Target));
        Assert.Equal(Watch.MaxRetry, judge.FailedLines);
        var error = sink.Events.First(e => e.Level == Serilog.Events.LogEventLevel.Error);
        Assert.IsType<InvalidOperationException>(error.Exception);
        var rendered = sink.Rendered(Serilog.Events.LogEventLevel.Error)[0];
        Assert.Contains(@"boom\x1b[2J from 192.0.2.9", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", rendered, StringComparison.Ordinal);
    }

    private LogLine Line(string text) => new(text, _time.GetUtcNow());
}
