namespace Tarpit.Tarpits.Ssh;

/// <summary>What the client's first bytes turned out to be.</summary>
internal enum ClientGreeting
{
    /// <summary>So far a valid start of an identification string; the line has not ended yet.</summary>
    Incomplete,

    /// <summary>A complete "SSH-" line within 255 bytes.</summary>
    Version,

    /// <summary>Not an SSH client: a first line that is not "SSH-…", a NUL, a stray CR, or a line longer than RFC 4253 §4.2 allows.</summary>
    Garbage,
}
