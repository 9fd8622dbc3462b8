namespace Tarpit.Config;

/// <summary>
/// What a reload does to one <c>[[watch]]</c>, by name: start it, stop it, or restart it with its new settings. A
/// watch the file did not change keeps running (its offence window and its place in the log).
/// </summary>
/// <param name="Running">The running config; null when the watch is new.</param>
/// <param name="File">The config in the file; null when the watch was removed.</param>
internal sealed record WatchChange(string Name, WatchConfig? Running, WatchConfig? File)
{
    public static IReadOnlyList<WatchChange> Between(IReadOnlyList<WatchConfig> running, IReadOnlyList<WatchConfig> file)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(file);
        var changes = new List<WatchChange>();
        foreach (var old in running)
        {
            var now = file.FirstOrDefault(w => w.Name == old.Name);
            if (now != old)
            {
                changes.Add(new WatchChange(old.Name, old, now));
            }
        }

        changes.AddRange(file.Where(w => running.All(r => r.Name != w.Name)).Select(w => new WatchChange(w.Name, null, w)));
        return changes;
    }

    /// <summary><c>watch sshd started</c>, <c>watch sshd stopped</c>, <c>watch sshd restarted</c>.</summary>
    public string Describe() => (Running, File) switch
    {
        (null, _) => $"watch {Name} started",
        (_, null) => $"watch {Name} stopped",
        _ => $"watch {Name} restarted",
    };
}
