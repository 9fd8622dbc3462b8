namespace Tarpit.Linux;

/// <summary>
/// The libc functions the agent calls, and nothing else of ours: one partial per aspect (<c>Libc.Files.cs</c>,
/// <c>Libc.Sockets.cs</c>, <c>Libc.Users.cs</c>). These are the raw bindings; the rest of the agent goes through the
/// typed wrappers beside them (<see cref="FileStatus"/>, <see cref="FileIdentity"/>, <see cref="FileOwner"/>,
/// <see cref="EffectiveUser"/>, <see cref="NonBlockingSocket"/>, <see cref="OriginalDestination"/>).
/// </summary>
internal static partial class Libc
{
    /// <summary>The runtime resolves "libc" to glibc's <c>libc.so.6</c> on Linux.</summary>
    private const string Library = "libc";
}
