using System.Threading.Channels;
using Serilog.Core;
using Tarpit.Detection.Filters;
using Tarpit.Detection.Sources;

namespace Tarpit.Tests.Detection;

/// <summary>The journal source against a stand-in <c>journalctl</c>: a real process that prints JSON entries and waits.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class JournalSourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tarpit-journal-").FullName;
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_message_of_exactly_the_bound_is_judged_and_longer_or_journald_cut_entries_are_counted_and_not_judged()
    {
        var atBound = Message(JournalEntry.MaxMessageBytes);
        var journalctl = FakeJournalctl(
            Entry(atBound),
            Entry(Message(JournalEntry.MaxMessageBytes + 1)),
            Entry("Invalid user a from 192.0.2.250", ""","_LINE_BREAK":"line-max" """),
            Entry(new string('j', JournalSource.MaxEntryBytes)),
            Entry("last"));
        var source = new JournalSource("ssh.service", TimeSpan.FromMinutes(10), TimeProvider.System, Logger.None, journalctl);
        var lines = Channel.CreateBounded<LogLine>(16);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
        var running = source.RunAsync(lines.Writer, stop.Token);

        var first = await lines.Reader.ReadAsync(_cts.Token);
        var second = await lines.Reader.ReadAsync(_cts.Token);

        Assert.Equal([atBound, "last"], [first.Text, second.Text]);
        Assert.Equal(3, source.CutLines);
        await stop.CancelAsync();
        await running;
    }

    /// <summary>An sshd line of exactly <paramref name="bytes"/> bytes.</summary>
    private static string Message(int bytes)
    {
        const string head = "Invalid user ";
        const string tail = " from 192.0.2.1 port 22";
        return head + new string('a', bytes - head.Length - tail.Length) + tail;
    }

    private static string Entry(string message, string extra = "") =>
        $$"""{"__CURSOR":"c","__REALTIME_TIMESTAMP":"1795428000000000","SYSLOG_IDENTIFIER":"sshd","MESSAGE":"{{message}}"{{extra}}}""";

    private string FakeJournalctl(params string[] entries)
    {
        var output = Path.Combine(_directory, "entries.json");
        File.WriteAllLines(output, entries);
        var script = Path.Combine(_directory, "journalctl");
        File.WriteAllText(script, $"#!/bin/sh\ncat '{output}'\nexec sleep 60\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return script;
    }
}
