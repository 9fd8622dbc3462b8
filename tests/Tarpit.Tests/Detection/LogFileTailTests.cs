using System.Globalization;
using System.Threading.Channels;
using Serilog.Core;
using Tarpit.Detection.Filters;
using Tarpit.Detection.Sources;

namespace Tarpit.Tests.Detection;

public sealed class LogFileTailTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tarpit-tail-").FullName;
    private readonly Channel<LogLine> _lines = Channel.CreateBounded<LogLine>(64);
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(30));

    private string LogPath => Path.Combine(_directory, "auth.log");

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_file_created_after_the_tail_started_is_read_from_its_start()
    {
        var tail = Start();

        await File.WriteAllTextAsync(LogPath, "one\ntwo\n", _cts.Token);

        Assert.Equal(["one", "two"], await NextAsync(2));
        await StopAsync(tail);
    }

    [Fact]
    public async Task A_partial_last_line_is_judged_only_once_it_is_complete()
    {
        await File.WriteAllTextAsync(LogPath, "", _cts.Token);
        var tail = Start();

        await AppendAsync("Invalid user a from 192.0.2.1");
        await Task.Delay(TimeSpan.FromMilliseconds(300), _cts.Token); // the tail wakes and reads the half line
        await AppendAsync(" port 22\nnext\n");

        Assert.Equal(["Invalid user a from 192.0.2.1 port 22", "next"], await NextAsync(2));
        await StopAsync(tail);
    }

    [Fact]
    public async Task Rotation_by_rename_drains_the_old_file_then_follows_the_new_one()
    {
        await File.WriteAllTextAsync(LogPath, "", _cts.Token);
        var tail = Start();
        await AppendAsync("before\n");
        Assert.Equal(["before"], await NextAsync(1));

        await AppendAsync("last of old\n");
        File.Move(LogPath, LogPath + ".1");
        await File.WriteAllTextAsync(LogPath, "first of new\n", _cts.Token);

        Assert.Equal(["last of old", "first of new"], await NextAsync(2));
        await StopAsync(tail);
    }

    [Fact]
    public async Task Copytruncate_starts_again_at_the_beginning()
    {
        await File.WriteAllTextAsync(LogPath, "", _cts.Token);
        var tail = Start();
        await AppendAsync("a fairly long line before the truncation\n");
        Assert.Single(await NextAsync(1));

        await using (var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.SetLength(0);
        }

        await Task.Delay(LogFileTail.PollInterval * 2, _cts.Token);
        await AppendAsync("after\n");

        Assert.Equal(["after"], await NextAsync(1));
        await StopAsync(tail);
    }

    [Fact]
    public async Task On_start_only_the_last_find_time_of_a_dated_file_is_read_back()
    {
        var now = DateTimeOffset.UtcNow;
        var old = Enumerable.Range(0, 3).Select(i => Dated(now.AddHours(-2).AddSeconds(i), "old " + i));
        var recent = Enumerable.Range(0, 2).Select(i => Dated(now.AddMinutes(-5).AddSeconds(i), "recent " + i));
        await File.WriteAllLinesAsync(LogPath, old.Concat(recent), _cts.Token);

        var tail = Start(readBack: TimeSpan.FromMinutes(10));
        await AppendAsync("live\n");

        var lines = await NextAsync(3);
        Assert.EndsWith("recent 0", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("recent 1", lines[1], StringComparison.Ordinal);
        Assert.Equal("live", lines[2]);
        await StopAsync(tail);
    }

    [Fact]
    public async Task An_undated_file_is_not_read_back()
    {
        await File.WriteAllTextAsync(LogPath, "Invalid user a from 192.0.2.1 port 22\n", _cts.Token);

        var tail = Start(readBack: TimeSpan.FromMinutes(10));
        await AppendAsync("live\n");

        Assert.Equal(["live"], await NextAsync(1));
        await StopAsync(tail);
    }

    [Fact]
    public async Task A_line_of_exactly_the_bound_is_judged_and_one_byte_more_is_cut_counted_and_not_judged()
    {
        var atBound = new string('a', LineSplitter.DefaultMaxLineBytes);
        await File.WriteAllTextAsync(LogPath, "", _cts.Token);
        var tail = new LogFileTail(LogPath, TimeSpan.FromMinutes(10), TimeProvider.System, Logger.None);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
        var running = tail.RunAsync(_lines.Writer, stop.Token);

        await AppendAsync(atBound + "\n" + atBound + "b\n" + "next\n");

        Assert.Equal([atBound, "next"], await NextAsync(2));
        Assert.Equal(1, tail.CutLines);
        await StopAsync((running, stop));
    }

    [Fact]
    public async Task A_user_name_padded_so_a_forged_address_ends_at_the_bound_is_never_judged()
    {
        const string head = "Login failed for user ";
        const string forged = " from 192.0.2.250";
        var padding = new string('x', LineSplitter.DefaultMaxLineBytes - head.Length - forged.Length);
        await File.WriteAllTextAsync(LogPath, "", _cts.Token);
        var tail = new LogFileTail(LogPath, TimeSpan.FromMinutes(10), TimeProvider.System, Logger.None);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
        var running = tail.RunAsync(_lines.Writer, stop.Token);

        await AppendAsync(head + padding + forged + " from 203.0.113.5\nnext\n");

        Assert.Equal(["next"], await NextAsync(1));
        Assert.Equal(1, tail.CutLines);
        await StopAsync((running, stop));
    }

    private static string Dated(DateTimeOffset at, string message) =>
        at.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture) + " host sshd[1]: " + message;

    private (Task Task, CancellationTokenSource Stop) Start(TimeSpan? readBack = null)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
        var tail = new LogFileTail(LogPath, readBack ?? TimeSpan.FromMinutes(10), TimeProvider.System, Logger.None);
        var task = tail.RunAsync(_lines.Writer, stop.Token);
        return (task, stop);
    }

    private static async Task StopAsync((Task Task, CancellationTokenSource Stop) tail)
    {
        await tail.Stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tail.Task);
        tail.Stop.Dispose();
    }

    private async Task AppendAsync(string text)
    {
        await File.AppendAllTextAsync(LogPath, text, _cts.Token);
    }

    private async Task<List<string>> NextAsync(int count)
    {
        var lines = new List<string>();
        while (lines.Count < count)
        {
            lines.Add((await _lines.Reader.ReadAsync(_cts.Token)).Text);
        }

        return lines;
    }
}
