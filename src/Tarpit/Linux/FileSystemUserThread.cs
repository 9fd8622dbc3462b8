using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Tarpit.Linux;

/// <summary>
/// One dedicated thread whose filesystem user and group are another owner's (setfsgid(2), then setfsuid(2)), so that
/// every path it opens, creates, follows or removes is checked by the kernel as if that owner did it: a link the owner
/// planted leads it nowhere the owner could not go itself, and what it creates is the owner's, with no chown. The
/// credentials are per thread (Linux keeps them per task and glibc, unlike for setuid, does not broadcast these to the
/// other threads), so the rest of the process keeps root's identity and capabilities (nft needs CAP_NET_ADMIN), and a
/// child process started from this thread gets its filesystem IDs back from its effective IDs at execve(2).
/// Leaving uid 0 also clears this thread's filesystem capabilities (CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER…;
/// capabilities(7), "Effect of user ID changes on capabilities"). Root's supplementary groups still apply to it.
/// Work runs on it one item at a time while the caller waits (<see cref="Run{T}"/>).
/// </summary>
internal sealed class FileSystemUserThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly ManualResetEventSlim _switched = new();
    private readonly Thread _thread;
    private string? _switchFailure;
    private int _disposed;

    private FileSystemUserThread(FileOwner owner, string name)
    {
        Owner = owner;
        _thread = new Thread(Loop) { Name = name, IsBackground = true };
    }

    /// <summary>The user and group this thread acts as on the filesystem.</summary>
    public FileOwner Owner { get; }

    /// <summary>True when called from this thread (work that is already on it runs inline).</summary>
    public bool IsCurrent => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    /// <summary>
    /// Starts the thread and switches its filesystem identity to <paramref name="owner"/>; throws
    /// <see cref="IOException"/> (and leaves no thread behind) when the kernel did not take it.
    /// </summary>
    public static FileSystemUserThread Start(FileOwner owner, string name)
    {
        var thread = new FileSystemUserThread(owner, name);
        thread._thread.Start();
        thread._switched.Wait();
        if (thread._switchFailure is { } failure)
        {
            thread.Dispose();
            throw new IOException(failure);
        }

        return thread;
    }

    /// <summary>Runs <paramref name="action"/> on this thread and returns its result, or rethrows what it threw.</summary>
    public T Run<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (IsCurrent)
        {
            return action();
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var done = new ManualResetEventSlim();
        T result = default!;
        ExceptionDispatchInfo? thrown = null;
        _work.Add(() =>
        {
            try
            {
                result = action();
            }
#pragma warning disable CA1031 // Whatever the work throws is the caller's, rethrown on its thread below.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                thrown = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                done.Set();
            }
        });
        done.Wait();
        thrown?.Throw();
        return result;
    }

    /// <summary>Lets the work already queued finish, then ends the thread (and with it the borrowed identity).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _work.CompleteAdding();
        if (!IsCurrent && _thread.IsAlive)
        {
            _thread.Join();
        }

        _work.Dispose();
        _switched.Dispose();
    }

    private void Loop()
    {
        // Group first: setfsgid needs CAP_SETGID, which leaving fsuid 0 does not clear, but the order is the one
        // that never leaves a moment with the new user and root's group.
        // Each returns the previous ID whatever happened (setfsuid(2), "Return value"): the queries below tell.
        _ = Libc.SetFileSystemGroupId(Owner.GroupId);
        _ = Libc.SetFileSystemUserId(Owner.UserId);
        var userId = (uint)Libc.SetFileSystemUserId(Libc.QueryOnly);
        var groupId = (uint)Libc.SetFileSystemGroupId(Libc.QueryOnly);
        if (userId != Owner.UserId || groupId != Owner.GroupId)
        {
            _switchFailure = $"cannot act as uid {Owner.UserId} gid {Owner.GroupId} on the filesystem (setfsuid/setfsgid left uid {userId} gid {groupId})";
            _switched.Set();
            return;
        }

        _switched.Set();
        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }
}
