using System.Text;
using System.Threading.Channels;
using Serilog;
using Tarpit.Detection.Filters;
using Tarpit.Linux;

namespace Tarpit.Detection.Sources;

/// <summary>
/// Follows a log file like <c>tail -F</c>: waits for it to be created, notices rotation by rename (logrotate
/// <c>create</c>: the path names a new inode; the old file is drained first) and truncation (<c>copytruncate</c>: the
/// file is shorter than what was read; start again at 0), holds a partial last line until its newline, and counts
/// lines longer than <see cref="LineSplitter.DefaultMaxLineBytes"/> as cut instead of judging them (<see cref="LineSplitter"/>). inotify (FileSystemWatcher) wakes it within milliseconds; a slow poll is
/// the safety net for events inotify misses (NFS, overflowed queues, a directory created later).
/// On start it reads back the last <c>readBack</c> of the file by timestamp (<see cref="ReadBack"/>).
/// </summary>
internal sealed partial class LogFileTail(string path, TimeSpan readBack, TimeProvider time, ILogger log) : ILogSource
{
    /// <summary>The safety-net poll; inotify normally wakes the tail long before.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Bytes read per system call.</summary>
    public const int ReadBufferBytes = 64 * 1024;

    /// <summary>
    /// After a rotation the new file may appear a moment later (logrotate renames, then creates): missing for this
    /// long is a problem. At start a missing file is one at once.
    /// </summary>
    public static readonly TimeSpan RotationGrace = TimeSpan.FromSeconds(5);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly LineSplitter _splitter = new();
    private readonly byte[] _buffer = new byte[ReadBufferBytes];
    private readonly List<string> _ready = [];
    private readonly CutLineCounter _cut = new(path, LineSplitter.DefaultMaxLineBytes, log, time);

    public string Description => path;

    /// <summary>Called for every cut line (the daemon's metrics); set before <see cref="RunAsync"/>.</summary>
    public Action? OnCut
    {
        get => _cut.OnCut;
        init => _cut.OnCut = value;
    }

    public long CutLines => _cut.Count;

    public WatchHealth Health { get; } = new(time);

    public async Task RunAsync(ChannelWriter<LogLine> lines, CancellationToken cancellationToken)
    {
        FileSystemWatcher? watcher = null;
        FileStream? stream = null;
        FileIdentity identity = default;
        var position = 0L;
        var started = false;
        DateTimeOffset? closedAt = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                watcher ??= TryWatch();
                if (stream is null)
                {
                    if (TryOpen(out stream, out identity, out var problem))
                    {
                        position = started ? 0 : ReadBack(stream, time.GetUtcNow() - readBack, time);
                        SourcesLog.Following(log, path, position);
                        if (Health.SetFound() is { } ended)
                        {
                            SourcesLog.WatchRecovered(log, path, ended);
                        }
                    }
                    else if ((closedAt is null || time.GetUtcNow() - closedAt >= RotationGrace) && Health.SetProblem(problem))
                    {
                        SourcesLog.WatchProblem(log, path, problem);
                    }
                }

                started = true;
                if (stream is not null)
                {
                    if (stream.Length < position)
                    {
                        SourcesLog.Truncated(log, path);
                        position = 0;
                        _splitter.Reset();
                    }

                    position = await DrainAsync(stream, position, lines, cancellationToken);
                    if (FileIdentity.Of(path) is { } current && current != identity)
                    {
                        // Rotated. What the writer appended to the old file between the drain above and this check (the
                        // last lines before the rename; rsyslog writes on until its postrotate HUP) is read now, through
                        // the descriptor still open on it; then its partial last line, if any, is complete.
                        position = await DrainAsync(stream, position, lines, cancellationToken);
                        _splitter.Flush(OnLine);
                        await PublishAsync(lines, cancellationToken);
                        SourcesLog.Rotated(log, path);
                        await stream.DisposeAsync();
                        stream = null;
                        closedAt = time.GetUtcNow();
                        continue;
                    }
                }

                await WaitAsync(cancellationToken);
            }
        }
        finally
        {
            watcher?.Dispose();
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
        }
    }

    private bool TryOpen([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FileStream? stream, out FileIdentity identity, out string problem)
    {
        stream = null;
        identity = default;
        problem = "the file does not exist (it is followed once it is created)";
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            if (FileIdentity.Of(stream.SafeFileHandle) is { } opened)
            {
                identity = opened;
                return true;
            }

            stream.Dispose();
            stream = null;
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            problem = "its directory does not exist (the file is followed once it is created)";
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            problem = "permission denied: the agent's user cannot read it (give it the file's group, e.g. adm, or fix the mode)";
            return false;
        }
        catch (IOException ex)
        {
            problem = "cannot be read: " + ex.Message;
            return false;
        }
    }

    private async Task<long> DrainAsync(FileStream stream, long position, ChannelWriter<LogLine> lines, CancellationToken cancellationToken)
    {
        while (true)
        {
            stream.Position = position;
            var read = await stream.ReadAsync(_buffer, cancellationToken);
            if (read == 0)
            {
                return position;
            }

            position += read;
            _splitter.Push(_buffer.AsSpan(0, read), OnLine, _cut.Record);
            await PublishAsync(lines, cancellationToken);
        }
    }

    private void OnLine(ReadOnlySpan<byte> line)
    {
        if (!line.IsEmpty)
        {
            _ready.Add(Encoding.UTF8.GetString(line));
        }
    }

    /// <summary>Hands the lines of one read to the judge; waits (and so stops reading) while its channel is full.</summary>
    private async Task PublishAsync(ChannelWriter<LogLine> lines, CancellationToken cancellationToken)
    {
        var readAt = time.GetUtcNow();
        foreach (var text in _ready)
        {
            await lines.WriteAsync(new LogLine(text, readAt), cancellationToken);
        }

        Health.Read(_ready.Count, readAt);
        _ready.Clear();
    }

    private FileSystemWatcher? TryWatch()
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is null || !Directory.Exists(directory))
        {
            return null;
        }

        try
        {
            var watcher = new FileSystemWatcher(directory, Path.GetFileName(path))
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += (_, _) => _wake.Writer.TryWrite(true);
            watcher.Created += (_, _) => _wake.Writer.TryWrite(true);
            watcher.Deleted += (_, _) => _wake.Writer.TryWrite(true);
            watcher.Renamed += (_, _) => _wake.Writer.TryWrite(true);
            watcher.Error += (_, e) => SourcesLog.InotifyLostEvents(log, e.GetException(), path);
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            SourcesLog.NoInotify(log, ex, path, PollInterval.TotalSeconds);
            return null;
        }
    }

    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(PollInterval, time, poll.Token);
        var woken = _wake.Reader.WaitToReadAsync(poll.Token).AsTask();
        await Task.WhenAny(delay, woken);
        await poll.CancelAsync();
        _wake.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
