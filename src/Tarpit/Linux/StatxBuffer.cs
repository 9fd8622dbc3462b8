using System.Runtime.InteropServices;

namespace Tarpit.Linux;

/// <summary>
/// <c>struct statx</c> from <c>&lt;linux/stat.h&gt;</c> (statx(2)): 256 bytes with the same layout on every
/// architecture, unlike <c>struct stat</c>. Only the fields the agent reads are declared, at their offsets.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 0x100)]
internal struct StatxBuffer
{
    // Bits of stx_mask and of the mask asked for (statx(2), "The mask argument").
    public const uint TypeWanted = 0x1;
    public const uint ModeWanted = 0x2;
    public const uint UidWanted = 0x8;
    public const uint GidWanted = 0x10;
    public const uint MtimeWanted = 0x40;
    public const uint InoWanted = 0x100;
    public const uint SizeWanted = 0x200;

    // <linux/stat.h>: the file type bits of stx_mode.
    public const ushort FileTypeMask = 0xF000;
    public const ushort Directory = 0x4000;
    public const ushort Socket = 0xC000;

    /// <summary>__u32 stx_mask at 0x00: what the kernel filled in.</summary>
    [FieldOffset(0x00)] public uint Mask;

    /// <summary>__u32 stx_uid at 0x14.</summary>
    [FieldOffset(0x14)] public uint Uid;

    /// <summary>__u32 stx_gid at 0x18.</summary>
    [FieldOffset(0x18)] public uint Gid;

    /// <summary>__u16 stx_mode at 0x1c.</summary>
    [FieldOffset(0x1C)] public ushort Mode;

    /// <summary>__u64 stx_ino at 0x20.</summary>
    [FieldOffset(0x20)] public ulong Ino;

    /// <summary>__u64 stx_size at 0x28.</summary>
    [FieldOffset(0x28)] public ulong Size;

    /// <summary>stx_mtime at 0x70, a struct statx_timestamp: __s64 tv_sec, then __u32 tv_nsec at 0x78.</summary>
    [FieldOffset(0x70)] public long MtimeSeconds;

    /// <summary>stx_mtime.tv_nsec at 0x78.</summary>
    [FieldOffset(0x78)] public uint MtimeNanoseconds;

    /// <summary>__u32 stx_dev_major at 0x88: the device holding the file (always filled in).</summary>
    [FieldOffset(0x88)] public uint DevMajor;

    /// <summary>__u32 stx_dev_minor at 0x8c.</summary>
    [FieldOffset(0x8C)] public uint DevMinor;
}
