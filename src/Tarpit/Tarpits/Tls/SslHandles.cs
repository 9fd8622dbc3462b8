using Microsoft.Win32.SafeHandles;

namespace Tarpit.Tarpits.Tls;

/// <summary>An OpenSSL <c>SSL_CTX</c>; each <c>SSL</c> made from it holds its own reference, so it may go first.</summary>
internal sealed class SslContextHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        LibSsl.CtxFree(handle);
        return true;
    }
}

/// <summary>An OpenSSL <c>SSL</c>, with the memory BIOs it owns.</summary>
internal sealed class SslHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    protected override bool ReleaseHandle()
    {
        LibSsl.SslFree(handle);
        return true;
    }
}
