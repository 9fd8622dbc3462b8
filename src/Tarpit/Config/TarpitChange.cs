using System.Net;

namespace Tarpit.Config;

/// <summary>
/// What a reload does to one <c>[[tarpit]]</c>, by name: start it, stop it, or change it in place. A changed tarpit
/// keeps the sockets of the listen addresses it still has (no client waiting in the backlog is lost), binds the added
/// ones and closes the removed ones; the connections it holds stay with the settings they were accepted under until
/// they end.
/// </summary>
/// <param name="Running">The running config; null when the tarpit is new.</param>
/// <param name="File">The config in the file; null when the tarpit was removed.</param>
internal sealed record TarpitChange(string Name, TarpitConfig? Running, TarpitConfig? File)
{
    /// <summary>Listen addresses to bind: the new tarpit's all, or those the changed one gained.</summary>
    public IReadOnlyList<IPEndPoint> Bind => [.. (File?.Listen ?? []).Except(Running?.Listen ?? [])];

    /// <summary>Listen addresses to close: the removed tarpit's all, or those the changed one lost.</summary>
    public IReadOnlyList<IPEndPoint> Close => [.. (Running?.Listen ?? []).Except(File?.Listen ?? [])];

    /// <summary>
    /// True when more than the listen addresses changed (mode, banner, timings, caps…): new connections on the kept
    /// sockets get the new settings. False for a change of listen addresses only.
    /// </summary>
    public bool SettingsChanged =>
        Running is not null && File is not null && Running with { Listen = File.Listen } != File;

    public static IReadOnlyList<TarpitChange> Between(IReadOnlyList<TarpitConfig> running, IReadOnlyList<TarpitConfig> file)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(file);
        var changes = new List<TarpitChange>();
        foreach (var old in running)
        {
            var now = file.FirstOrDefault(t => t.Name == old.Name);
            if (now != old)
            {
                changes.Add(new TarpitChange(old.Name, old, now));
            }
        }

        changes.AddRange(file.Where(t => running.All(r => r.Name != t.Name)).Select(t => new TarpitChange(t.Name, null, t)));
        return changes;
    }

    /// <summary><c>tarpit ssh started</c>, <c>tarpit ssh stopped</c>, <c>tarpit ssh: listen +[::]:2223, settings</c>.</summary>
    public string Describe()
    {
        if (Running is null)
        {
            return $"tarpit {Name} started";
        }

        if (File is null)
        {
            return $"tarpit {Name} stopped";
        }

        var parts = new List<string>();
        parts.AddRange(Bind.Select(e => "listen +" + ListenSyntax.Format(e)));
        parts.AddRange(Close.Select(e => "listen -" + ListenSyntax.Format(e)));
        if (!Running.RedirectPorts.SequenceEqual(File.RedirectPorts))
        {
            parts.Add("redirect_ports");
        }

        if (SettingsChanged && (Running with { Listen = File.Listen, RedirectPorts = File.RedirectPorts }) != File)
        {
            parts.Add("settings");
        }

        return $"tarpit {Name}: {string.Join(", ", parts)}";
    }
}
