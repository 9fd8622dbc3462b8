using System.Runtime.Versioning;

namespace Tarpit.Store;

/// <summary>
/// The state dir holds what clients typed into the tarpits (fake-auth credentials) and who was banned: it is created
/// 0700 and every file in it 0600, whoever creates it first (the daemon or a root verb), whatever the umask. An
/// existing dir or file that is open to group or others is tightened, not merely warned about: nothing but the agent
/// reads these files, the unit already asks for <c>StateDirectoryMode=0700</c>, and a warning would leave the
/// credentials readable until someone acted on it. Each change is returned once so that the caller can log it.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode OpenToOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="directory"/> (and missing parents) 0700 when it does not exist.</summary>
    public static void CreateDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, DirectoryMode);
        }
    }

    /// <summary>
    /// Creates an empty <paramref name="path"/> 0600 when it does not exist; true when it did not. <c>CreateNew</c> is
    /// <c>O_CREAT | O_EXCL</c>, which fails on any name already there, a dangling link included: never through a link.
    /// </summary>
    public static bool CreateFile(string path)
    {
        if (File.Exists(path))
        {
            return false;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            });
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process (the daemon, a verb) created it between the check and the open; Tighten covers its mode.
            return false;
        }
    }

    /// <summary>
    /// Takes group and other permissions away from <paramref name="directory"/> and every file directly in it, never
    /// through a symbolic link (chmod follows links: a link planted in the dir is left alone). Returns
    /// one sentence per change, <c>'PATH' from 0755 to 0700</c>; an empty list when everything was private already.
    /// </summary>
    public static IReadOnlyList<string> Tighten(string directory)
    {
        var changes = new List<string>();
        TightenOne(directory, changes);
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            TightenOne(file, changes);
        }

        return changes;
    }

    /// <summary>Takes group and other permissions away from one file or dir; the sentence, or null when it was private.</summary>
    public static string? TightenOne(string path)
    {
        var changes = new List<string>();
        TightenOne(path, changes);
        return changes.Count == 0 ? null : changes[0];
    }

    private static void TightenOne(string path, List<string> changes)
    {
        if (new FileInfo(path).LinkTarget is not null)
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & OpenToOthers) == 0)
        {
            return;
        }

        var tightened = mode & ~OpenToOthers;
        File.SetUnixFileMode(path, tightened);
        changes.Add($"'{path}' from {Octal(mode)} to {Octal(tightened)}");
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
}
