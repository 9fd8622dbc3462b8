namespace Tarpit.Linux;

/// <summary>
/// The process's file mode creation mask. The agent sets 077 once, at start, so that every file and dir it or a
/// library creates (Serilog's rolled event files, SQLite's journals, whatever comes later) is private even when the
/// agent runs outside the unit (<c>UMask=0077</c>) from a root shell with umask 022. The state dir and its files are
/// also created with explicit modes (Store.PrivateFiles), so they do not depend on this.
/// </summary>
internal static class ProcessUmask
{
    /// <summary>Group and others get nothing: new files 0600, new dirs 0700.</summary>
    public const uint Private = 0b_000_111_111; // 077 octal

    /// <summary>Sets <see cref="Private"/>; returns the mask it replaced.</summary>
    public static uint SetPrivate() => Libc.Umask(Private);
}
