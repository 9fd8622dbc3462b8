using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Tarpit.Linux;

/// <summary>
/// Random bytes straight from the kernel (getrandom(2)), for what must be unpredictable but needs no other cryptography:
/// .NET's RandomNumberGenerator on Linux is OpenSSL's, and loading libcrypto for 64 bytes costs the agent ~4 MiB of RSS
/// for as long as it runs (the SSH tarpit's own host keys, made once at a first start).
/// </summary>
internal static class OsRandom
{
    public static void Fill(Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var got = Libc.GetRandom(buffer, (nuint)buffer.Length, 0);
            if (got < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EIntr)
                {
                    continue;
                }

                throw new Win32Exception(errno);
            }

            buffer = buffer[(int)got..];
        }
    }
}
