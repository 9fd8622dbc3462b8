using System.Runtime.InteropServices;

namespace Tarpit.Firewall;

/// <summary>libc calls the firewall needs.</summary>
internal static partial class NativeMethods
{
    [LibraryImport("libc")]
    internal static partial uint geteuid();
}
