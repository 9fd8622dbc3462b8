using System.Runtime.InteropServices;

namespace Tarpit.Linux;

internal static partial class Libc
{
    // <asm-generic/errno-base.h>.
    internal const int EIntr = 4;

    /// <summary>getrandom(2) from the kernel's pool, no flags: bytes written, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "getrandom", SetLastError = true)]
    internal static partial nint GetRandom(Span<byte> buffer, nuint length, uint flags);
}
