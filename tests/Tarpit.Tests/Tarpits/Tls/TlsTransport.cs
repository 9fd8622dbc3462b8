namespace Tarpit.Tests.Tarpits.Tls;

/// <summary>
/// The wire under a test's TLS client (<see cref="System.Net.Security.SslStream"/>): the session's records are fed in
/// (<see cref="Feed"/>) and what the client writes is queued for the test to carry to the session (<see cref="Peek"/>,
/// <see cref="Accept"/>). A read waiting for bytes completes inline when they are fed; the lock covers a continuation
/// that the runtime moved to another thread.
/// </summary>
internal sealed class TlsTransport : Stream
{
    private readonly Lock _gate = new();
    private byte[] _in = [];
    private int _inCount;
    private byte[] _out = [];
    private int _outCount;
    private TaskCompletionSource<int>? _waiting;
    private Memory<byte> _waitingBuffer;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Bytes OpenSSL wrote that the engine has not yet had accepted by the kernel.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _outCount;
            }
        }
    }

    /// <summary>The client's bytes: completes a waiting read (inline) or keeps them for the next.</summary>
    public void Feed(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        TaskCompletionSource<int>? completed = null;
        var count = 0;
        lock (_gate)
        {
            if (_waiting is not null)
            {
                count = Math.Min(data.Length, _waitingBuffer.Length);
                data[..count].CopyTo(_waitingBuffer.Span);
                data = data[count..];
                completed = _waiting;
                _waiting = null;
                _waitingBuffer = default;
            }

            Append(ref _in, ref _inCount, data);
        }

        completed?.SetResult(count);
    }

    /// <summary>Copies up to <paramref name="output"/>'s length of the queued bytes, keeping them until accepted.</summary>
    public int Peek(Span<byte> output)
    {
        lock (_gate)
        {
            var count = Math.Min(output.Length, _outCount);
            _out.AsSpan(0, count).CopyTo(output);
            return count;
        }
    }

    /// <summary>The kernel took <paramref name="count"/> of the queued bytes.</summary>
    public void Accept(int count)
    {
        lock (_gate)
        {
            count = Math.Clamp(count, 0, _outCount);
            _out.AsSpan(count, _outCount - count).CopyTo(_out);
            _outCount -= count;
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_inCount > 0)
            {
                var count = Math.Min(buffer.Length, _inCount);
                _in.AsSpan(0, count).CopyTo(buffer.Span);
                _in.AsSpan(count, _inCount - count).CopyTo(_in);
                _inCount -= count;
                return ValueTask.FromResult(count);
            }

            _waiting = new TaskCompletionSource<int>();
            _waitingBuffer = buffer;
            return new ValueTask<int>(_waiting.Task.WaitAsync(cancellationToken));
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            Append(ref _out, ref _outCount, buffer);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The TLS transport is read asynchronously.");

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private static void Append(ref byte[] buffer, ref int count, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (count + data.Length > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(count + data.Length, Math.Max(256, buffer.Length * 2)));
        }

        data.CopyTo(buffer.AsSpan(count));
        count += data.Length;
    }
}
