using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Tarpit.Tarpits.Tls;

/// <summary>
/// The OpenSSL context <c>handshake-drip</c>'s real TLS server shares: set up as Debian 12's nginx 1.22 sets up its
/// own (<c>ngx_ssl_create</c> with the defaults <c>ssl_protocols</c>, <c>ssl_ciphers HIGH:!aNULL:!MD5</c>,
/// <c>ssl_prefer_server_ciphers off</c>, <c>ssl_ecdh_curve auto</c>, no dhparam, <c>ssl_session_cache none</c>,
/// <c>ssl_session_tickets on</c>, ALPN http/1.1, 1.0, 0.9) under Debian's openssl.cnf (MinProtocol TLSv1.2, security
/// level 2), so the client's first suite and group win as on nginx, and the certificate is the tarpit's.
/// </summary>
internal sealed class NginxTlsContext
{
    /// <summary>nginx's default <c>ssl_ciphers</c>.</summary>
    public const string Ciphers = "HIGH:!aNULL:!MD5";

    /// <summary>Debian's openssl.cnf <c>CipherString = DEFAULT@SECLEVEL=2</c>, which nginx's own cipher string keeps.</summary>
    private const int SecurityLevel = 2;

    /// <summary>A copy of <see cref="Alpn"/> in native memory, made once: OpenSSL returns a pointer into it.</summary>
    private static readonly unsafe byte* AlpnProtocols = MakeAlpnProtocols();

    private readonly SslContextHandle _ctx;

    public unsafe NginxTlsContext(byte[] certificateDer, RSA key)
    {
        ArgumentNullException.ThrowIfNull(certificateDer);
        ArgumentNullException.ThrowIfNull(key);
        LibSsl.ErrClearError();
        _ctx = LibSsl.CtxNew(LibSsl.TlsServerMethod());
        if (_ctx.IsInvalid)
        {
            throw new CryptographicException("OpenSSL could not make a TLS server context");
        }

        LibSsl.CtxSetOptions(_ctx, LibSsl.OpNoCompression | LibSsl.OpNoAntiReplay | LibSsl.OpIgnoreUnexpectedEof);
        LibSsl.CtxCtrl(_ctx, LibSsl.CtrlMode, LibSsl.ModeReleaseBuffers | LibSsl.ModeNoAutoChain, 0);
        LibSsl.CtxCtrl(_ctx, LibSsl.CtrlSetReadAhead, 1, 0);
        LibSsl.CtxCtrl(_ctx, LibSsl.CtrlSetMinProtoVersion, LibSsl.Tls12Version, 0);
        LibSsl.CtxSetSecurityLevel(_ctx, SecurityLevel);
        // ssl_session_cache none: sessions may be offered but are not stored (tickets still resume).
        LibSsl.CtxCtrl(_ctx, LibSsl.CtrlSetSessionCacheMode, LibSsl.SessionCacheServer | LibSsl.SessionCacheNoInternal, 0);
        LibSsl.CtxCtrl(_ctx, LibSsl.CtrlSetSessionCacheSize, 1, 0);
        var key1 = key.ExportRSAPrivateKey();
        try
        {
            if (LibSsl.CtxSetCipherList(_ctx, Ciphers) != 1
                || LibSsl.CtxUseCertificateAsn1(_ctx, certificateDer.Length, certificateDer) != 1
                || LibSsl.CtxUsePrivateKeyAsn1(LibSsl.EvpPkeyRsa, _ctx, key1, key1.Length) != 1
                || LibSsl.CtxCheckPrivateKey(_ctx) != 1)
            {
                LibSsl.ErrClearError();
                throw new CryptographicException("OpenSSL refused the TLS tarpit's certificate or cipher list");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key1);
        }

        LibSsl.CtxCallbackCtrl(_ctx, LibSsl.CtrlSetTlsextServernameCallback, (nint)(delegate* unmanaged[Cdecl]<nint, int*, nint, int>)&AcceptServerName);
        LibSsl.CtxSetAlpnSelectCallback(_ctx, (nint)(delegate* unmanaged[Cdecl]<nint, byte**, byte*, byte*, uint, nint, int>)&SelectAlpn, 0);
    }

    /// <summary>A new server-side connection reading <paramref name="input"/> and writing <paramref name="output"/> (memory BIOs it owns).</summary>
    public SslHandle NewConnection(out nint input, out nint output)
    {
        LibSsl.ErrClearError();
        var ssl = LibSsl.SslNew(_ctx);
        input = LibSsl.BioNew(LibSsl.BioSMem());
        output = LibSsl.BioNew(LibSsl.BioSMem());
        if (ssl.IsInvalid || input == 0 || output == 0)
        {
            FreeBio(input);
            FreeBio(output);
            ssl.Dispose();
            LibSsl.ErrClearError();
            throw new CryptographicException("OpenSSL could not make a TLS connection");
        }

        LibSsl.SslSetBio(ssl, input, output);
        LibSsl.SslSetAcceptState(ssl);
        return ssl;
    }

    private static void FreeBio(nint bio)
    {
        // BIO_free fails only for a null BIO, which is not passed.
        if (bio != 0 && LibSsl.BioFree(bio) != 1)
        {
            LibSsl.ErrClearError();
        }
    }

    /// <summary>nginx's servername callback accepts every name; OpenSSL then acknowledges SNI as nginx does.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static unsafe int AcceptServerName(nint ssl, int* alert, nint argument) => LibSsl.TlsextErrOk;

    /// <summary>nginx's <c>ngx_http_ssl_alpn_select</c>: its first protocol the client offers, else a fatal no_application_protocol.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static unsafe int SelectAlpn(nint ssl, byte** output, byte* outputLength, byte* input, uint inputLength, nint argument) =>
        LibSsl.SelectNextProto(output, outputLength, AlpnProtocols, (uint)Alpn.Length, input, inputLength) == LibSsl.NpnNegotiated
            ? LibSsl.TlsextErrOk
            : LibSsl.TlsextErrAlertFatal;

    /// <summary>nginx's NGX_HTTP_ALPN_PROTOS without HTTP/2, in RFC 7301 §3.1's wire format (length-prefixed names).</summary>
    private static ReadOnlySpan<byte> Alpn => "\u0008http/1.1\u0008http/1.0\u0008http/0.9"u8;

    private static unsafe byte* MakeAlpnProtocols()
    {
        var protocols = Alpn;
        var native = (byte*)NativeMemory.Alloc((nuint)protocols.Length);
        protocols.CopyTo(new Span<byte>(native, protocols.Length));
        return native;
    }
}
