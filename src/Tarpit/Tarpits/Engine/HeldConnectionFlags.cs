namespace Tarpit.Tarpits.Engine;

/// <summary>The yes/no facts of a <see cref="HeldConnection"/>, in one byte.</summary>
[Flags]
internal enum HeldConnectionFlags : byte
{
    None = 0,
    Counted = 1,
    OpenedPublished = 2,
    Named = 4,
    RefusedAtNaming = 8,
    DrainArmed = 16,
    Verified = 32,
    Queued = 64,
}
