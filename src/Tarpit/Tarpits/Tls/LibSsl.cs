using System.Runtime.InteropServices;

namespace Tarpit.Tarpits.Tls;

/// <summary>
/// OpenSSL 3 (Debian 12: libssl3, the library its nginx links), for <c>handshake-drip</c>'s real TLS server
/// (<see cref="NginxTlsContext"/>, <see cref="TlsTunnel"/>). Used directly rather than through SslStream, which
/// always sets <c>SSL_OP_CIPHER_SERVER_PREFERENCE</c> and its own suite list: nmap's ssl-enum-ciphers tells both from
/// nginx's. Every call is made on the scheduler thread; OpenSSL's error queue is per thread and cleared before each.
/// </summary>
internal static partial class LibSsl
{
    private const string Ssl = "libssl.so.3";
    private const string Crypto = "libcrypto.so.3";

    // <openssl/ssl.h> (OpenSSL 3.0).
    internal const ulong OpIgnoreUnexpectedEof = 1UL << 7;
    internal const ulong OpNoCompression = 1UL << 17;
    internal const ulong OpNoAntiReplay = 1UL << 24;
    internal const long ModeNoAutoChain = 0x8;
    internal const long ModeReleaseBuffers = 0x10;
    internal const int CtrlMode = 33;
    internal const int CtrlSetReadAhead = 41;
    internal const int CtrlSetSessionCacheMode = 44;
    internal const int CtrlSetSessionCacheSize = 42;
    internal const int CtrlSetTlsextServernameCallback = 53;
    internal const int CtrlSetMinProtoVersion = 123;
    internal const long SessionCacheServer = 0x2;
    internal const long SessionCacheNoInternal = 0x100 | 0x200;
    internal const int Tls12Version = 0x0303;
    internal const int ErrorWantRead = 2;
    internal const int TlsextErrOk = 0;
    internal const int TlsextErrAlertFatal = 2;
    internal const int NpnNegotiated = 1;

    // <openssl/evp.h>, <openssl/bio.h>.
    internal const int EvpPkeyRsa = 6;
    internal const int BioCtrlInfo = 3;
    internal const int BioCtrlPending = 10;

    [LibraryImport(Ssl, EntryPoint = "TLS_server_method")]
    internal static partial nint TlsServerMethod();

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_new")]
    internal static partial SslContextHandle CtxNew(nint method);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_free")]
    internal static partial void CtxFree(nint ctx);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_set_options")]
    internal static partial ulong CtxSetOptions(SslContextHandle ctx, ulong options);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_ctrl")]
    internal static partial long CtxCtrl(SslContextHandle ctx, int command, long larg, nint parg);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_callback_ctrl")]
    internal static partial long CtxCallbackCtrl(SslContextHandle ctx, int command, nint callback);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_set_security_level")]
    internal static partial void CtxSetSecurityLevel(SslContextHandle ctx, int level);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_set_cipher_list", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int CtxSetCipherList(SslContextHandle ctx, string ciphers);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_use_certificate_ASN1")]
    internal static partial int CtxUseCertificateAsn1(SslContextHandle ctx, int length, ReadOnlySpan<byte> der);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_use_PrivateKey_ASN1")]
    internal static partial int CtxUsePrivateKeyAsn1(int type, SslContextHandle ctx, ReadOnlySpan<byte> der, long length);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_check_private_key")]
    internal static partial int CtxCheckPrivateKey(SslContextHandle ctx);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_set_alpn_select_cb")]
    internal static partial void CtxSetAlpnSelectCallback(SslContextHandle ctx, nint callback, nint argument);

    [LibraryImport(Ssl, EntryPoint = "SSL_select_next_proto")]
    internal static unsafe partial int SelectNextProto(byte** output, byte* outputLength, byte* server, uint serverLength, byte* client, uint clientLength);

    [LibraryImport(Ssl, EntryPoint = "SSL_new")]
    internal static partial SslHandle SslNew(SslContextHandle ctx);

    [LibraryImport(Ssl, EntryPoint = "SSL_free")]
    internal static partial void SslFree(nint ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_set_bio")]
    internal static partial void SslSetBio(SslHandle ssl, nint input, nint output);

    [LibraryImport(Ssl, EntryPoint = "SSL_set_accept_state")]
    internal static partial void SslSetAcceptState(SslHandle ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_do_handshake")]
    internal static partial int SslDoHandshake(SslHandle ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_read")]
    internal static partial int SslRead(SslHandle ssl, Span<byte> buffer, int length);

    [LibraryImport(Ssl, EntryPoint = "SSL_write")]
    internal static partial int SslWrite(SslHandle ssl, ReadOnlySpan<byte> buffer, int length);

    [LibraryImport(Ssl, EntryPoint = "SSL_get_error")]
    internal static partial int SslGetError(SslHandle ssl, int result);

    [LibraryImport(Crypto, EntryPoint = "BIO_s_mem")]
    internal static partial nint BioSMem();

    [LibraryImport(Crypto, EntryPoint = "BIO_new")]
    internal static partial nint BioNew(nint method);

    [LibraryImport(Crypto, EntryPoint = "BIO_free")]
    internal static partial int BioFree(nint bio);

    [LibraryImport(Crypto, EntryPoint = "BIO_write")]
    internal static partial int BioWrite(nint bio, ReadOnlySpan<byte> data, int length);

    [LibraryImport(Crypto, EntryPoint = "BIO_read")]
    internal static partial int BioRead(nint bio, Span<byte> data, int length);

    [LibraryImport(Crypto, EntryPoint = "BIO_ctrl")]
    internal static partial long BioCtrl(nint bio, int command, long larg, nint parg);

    [LibraryImport(Crypto, EntryPoint = "ERR_clear_error")]
    internal static partial void ErrClearError();
}
