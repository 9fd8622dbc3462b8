namespace Tarpit.Tests.Store;

/// <summary>This process's open file descriptors (from <c>/proc/self/fd</c>), to see that a store let go of its file.</summary>
internal static class OpenFiles
{
    /// <summary>The paths under <paramref name="directory"/> this process holds open (the database, its WAL and shared memory).</summary>
    public static List<string> Under(string directory)
    {
        var prefix = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        var open = new List<string>();
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith(prefix, StringComparison.Ordinal))
                {
                    open.Add(target);
                }
            }
            catch (IOException)
            {
                // Closed between the listing and the read (another test's file): not ours.
            }
        }

        return open;
    }
}
