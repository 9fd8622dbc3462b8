using System.Net.Security;
using System.Security.Authentication;

namespace Tarpit.Tarpits.Tls;

/// <summary>
/// One connection's real TLS server (.NET's <see cref="SslStream"/>, OpenSSL underneath; no crypto of ours) over a
/// <see cref="TlsTransport"/>: the verified ClientHello is replayed into it, the client's later bytes fed, the server's
/// records queued for the engine, and once the handshake is done the plaintext both ways.
/// </summary>
internal sealed class TlsTunnel : IDisposable
{
    /// <summary>What one decrypted read holds at most: one TLS record's plaintext is up to 2^14 bytes (RFC 8446 §5.1); the engine's receive buffer is 4096.</summary>
    public const int PlaintextChunk = 4096;

    private readonly TlsTransport _transport = new();
    private readonly SslStream _ssl;
    private readonly Task _handshake;
    private readonly byte[] _plain = new byte[PlaintextChunk];
    private Task<int>? _read;
    private bool _ended;

    public TlsTunnel(SslStreamCertificateContext certificate, ReadOnlySpan<byte> clientHello)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        _transport.Feed(clientHello);
        _ssl = new SslStream(_transport, leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        };
        _handshake = _ssl.AuthenticateAsServerAsync(options, CancellationToken.None);
    }

    /// <summary>
    /// The handshake failed. A client that closes TLS later (close_notify, a bad record) is not let go: it reads no more
    /// plaintext and gets no more, and the engine closes when the client leaves (GnuTLS's bye waits for ours).
    /// </summary>
    public bool Failed => _handshake.IsFaulted || _handshake.IsCanceled;

    /// <summary>The client closed or broke the TLS stream after the handshake: nothing more is read from it.</summary>
    public bool Ended => _ended;

    public bool Established => _handshake.IsCompletedSuccessfully;

    /// <summary>Server records not yet accepted by the kernel.</summary>
    public int Pending => _transport.Pending;

    public void Feed(ReadOnlySpan<byte> ciphertext) => _transport.Feed(ciphertext);

    public int Peek(Span<byte> output) => _transport.Peek(output);

    public void Accept(int sent) => _transport.Accept(sent);

    /// <summary>The client's decrypted bytes since the last call (empty when none); valid until <see cref="Resume"/>.</summary>
    public ReadOnlySpan<byte> Plaintext()
    {
        if (!Established || _ended)
        {
            return default;
        }

        _read ??= _ssl.ReadAsync(_plain, CancellationToken.None).AsTask();
        if (!_read.IsCompleted)
        {
            return default;
        }

        if (!_read.IsCompletedSuccessfully || _read.Result == 0)
        {
            _ended = true;
            return default;
        }

        return _plain.AsSpan(0, _read.Result);
    }

    /// <summary>The plaintext returned was consumed: read on.</summary>
    public void Resume()
    {
        if (_read is { IsCompletedSuccessfully: true } && !_ended)
        {
            _read = null;
        }
    }

    /// <summary>Frees OpenSSL's state at once (a session the engine drops without closing is left to the finalizer).</summary>
    public void Dispose()
    {
        _ended = true;
        _ssl.Dispose();
        _transport.Dispose();
    }

    /// <summary>Encrypts <paramref name="plaintext"/> into records queued for the engine.</summary>
    public void Write(ReadOnlySpan<byte> plaintext)
    {
        if (!plaintext.IsEmpty && Established && !_ended)
        {
            _ssl.Write(plaintext);
        }
    }
}
