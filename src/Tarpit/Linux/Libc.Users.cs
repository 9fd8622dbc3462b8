using System.Runtime.InteropServices;

namespace Tarpit.Linux;

internal static partial class Libc
{
    /// <summary>geteuid(2): always succeeds.</summary>
    [LibraryImport(Library, EntryPoint = "geteuid")]
    internal static partial uint GetEffectiveUserId();
}
