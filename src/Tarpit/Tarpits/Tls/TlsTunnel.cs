namespace Tarpit.Tarpits.Tls;

/// <summary>
/// One connection's real TLS server: an OpenSSL <c>SSL</c> of the tarpit's <see cref="NginxTlsContext"/> over two
/// memory BIOs. The verified ClientHello is replayed into it, the client's later bytes fed, the server's records kept
/// in OpenSSL's output BIO until the engine has them sent, and once the handshake is done the plaintext both ways.
/// Everything runs synchronously on the scheduler thread; between steps a held connection costs OpenSSL's
/// <c>SSL</c> (its record buffers are released while idle: <c>SSL_MODE_RELEASE_BUFFERS</c>).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Reliability",
    "CA2000:Dispose objects before losing scope",
    Justification = "The SSL handle is owned by the tunnel and freed in Dispose (or by its finalizer).")]
internal sealed class TlsTunnel : IDisposable
{
    /// <summary>The most plaintext one read returns: the engine's receive buffer is 4096 (a TLS record holds up to 2^14, RFC 8446 §5.1; the rest waits).</summary>
    public const int PlaintextChunk = 4096;

    private readonly SslHandle _ssl;
    private readonly nint _input;
    private readonly nint _output;
    private State _state;

    public TlsTunnel(NginxTlsContext server, ReadOnlySpan<byte> clientHello)
    {
        ArgumentNullException.ThrowIfNull(server);
        _ssl = server.NewConnection(out _input, out _output);
        Feed(clientHello);
    }

    private enum State
    {
        Handshaking,
        Established,
        Failed,
        Ended,
    }

    /// <summary>
    /// The handshake failed (OpenSSL's alert is queued). A client that closes TLS later (close_notify, a bad record) is
    /// not let go: it reads no more plaintext and gets no more, and the engine closes when the client leaves (GnuTLS's
    /// bye waits for ours).
    /// </summary>
    public bool Failed => _state == State.Failed;

    /// <summary>The client closed or broke the TLS stream after the handshake: nothing more is read from it.</summary>
    public bool Ended => _state == State.Ended;

    public bool Established => _state is State.Established or State.Ended;

    /// <summary>Server records not yet accepted by the kernel.</summary>
    public int Pending => _ssl.IsClosed ? 0 : (int)LibSsl.BioCtrl(_output, LibSsl.BioCtrlPending, 0, 0);

    /// <summary>The client's bytes; while the handshake runs, OpenSSL answers them at once.</summary>
    public void Feed(ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.IsEmpty || _ssl.IsClosed || _state is State.Failed or State.Ended)
        {
            return;
        }

        LibSsl.BioWrite(_input, ciphertext, ciphertext.Length);
        if (_state == State.Handshaking)
        {
            LibSsl.ErrClearError();
            var result = LibSsl.SslDoHandshake(_ssl);
            if (result == 1)
            {
                _state = State.Established;
            }
            else if (LibSsl.SslGetError(_ssl, result) != LibSsl.ErrorWantRead)
            {
                _state = State.Failed;
                LibSsl.ErrClearError();
            }
        }
    }

    /// <summary>Copies up to <paramref name="output"/>'s length of the queued records, keeping them until accepted.</summary>
    public unsafe int Peek(Span<byte> output)
    {
        if (_ssl.IsClosed)
        {
            return 0;
        }

        byte* data = null;
        var length = (int)LibSsl.BioCtrl(_output, LibSsl.BioCtrlInfo, 0, (nint)(&data));
        var count = Math.Min(output.Length, length);
        if (count <= 0 || data is null)
        {
            return 0;
        }

        new ReadOnlySpan<byte>(data, count).CopyTo(output);
        return count;
    }

    /// <summary>The kernel took <paramref name="count"/> of the queued bytes.</summary>
    public void Accept(int count)
    {
        Span<byte> discard = stackalloc byte[PlaintextChunk];
        while (count > 0 && !_ssl.IsClosed)
        {
            var read = LibSsl.BioRead(_output, discard, Math.Min(count, discard.Length));
            if (read <= 0)
            {
                return;
            }

            count -= read;
        }
    }

    /// <summary>The client's decrypted bytes since the last call, into <paramref name="buffer"/>: their count, 0 when none.</summary>
    public int Read(Span<byte> buffer)
    {
        if (_state != State.Established || _ssl.IsClosed)
        {
            return 0;
        }

        LibSsl.ErrClearError();
        var read = LibSsl.SslRead(_ssl, buffer, Math.Min(buffer.Length, PlaintextChunk));
        if (read > 0)
        {
            return read;
        }

        if (LibSsl.SslGetError(_ssl, read) != LibSsl.ErrorWantRead)
        {
            // close_notify, a bad record, or a renegotiation OpenSSL refuses: the stream is over.
            _state = State.Ended;
            LibSsl.ErrClearError();
        }

        return 0;
    }

    /// <summary>Encrypts <paramref name="plaintext"/> into records queued for the engine.</summary>
    public void Write(ReadOnlySpan<byte> plaintext)
    {
        while (!plaintext.IsEmpty && _state == State.Established && !_ssl.IsClosed)
        {
            LibSsl.ErrClearError();
            var written = LibSsl.SslWrite(_ssl, plaintext, plaintext.Length);
            if (written <= 0)
            {
                _state = State.Ended;
                LibSsl.ErrClearError();
                return;
            }

            plaintext = plaintext[written..];
        }
    }

    /// <summary>Frees OpenSSL's state at once (a session the engine drops without closing is left to the finalizer).</summary>
    public void Dispose()
    {
        if (_state != State.Failed)
        {
            _state = State.Ended;
        }

        _ssl.Dispose();
    }
}
