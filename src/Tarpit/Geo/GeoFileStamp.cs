using Tarpit.Linux;

namespace Tarpit.Geo;

/// <summary>
/// What identifies one version of a database file: its identity (device and inode), size and modification time.
/// geoipupdate writes a new file and renames it over the old one, so the identity changes even when size and time
/// happen to match.
/// </summary>
internal readonly record struct GeoFileStamp(FileIdentity Identity, long Length, DateTime LastWriteUtc)
{
    /// <summary>The stamp of the file at <paramref name="path"/>, or null when there is no such file.</summary>
    public static GeoFileStamp? Read(string path) =>
        FileStatus.Of(path) is { IsDirectory: false } status
            ? new GeoFileStamp(status.Identity, status.Length, status.LastWriteUtc)
            : null;
}
