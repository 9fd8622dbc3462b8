namespace Tarpit.Agent.Commands;

/// <summary>What <c>test-filter</c> was asked: the filter, exactly one source, the window's config and what to print.</summary>
/// <param name="Filter">sshd, http-probe, or a fail2ban-style filter file.</param>
/// <param name="LogPath">A log file, or null with <paramref name="JournalUnit"/>.</param>
/// <param name="JournalUnit">A systemd unit whose journal is read (<c>journalctl -o json -u UNIT</c>), or null.</param>
/// <param name="ConfigPath">tarpit.toml; when it is only the default and does not exist, the default window is used.</param>
/// <param name="ConfigGiven">True when <c>--config</c> was on the command line: then it must exist.</param>
/// <param name="Mode">One of the filter modes, overriding the watch's, or null.</param>
/// <param name="Journalctl">The journalctl to run (a test's stand-in).</param>
internal sealed record TestFilterRequest(
    string Filter,
    string? LogPath,
    string? JournalUnit = null,
    string? ConfigPath = null,
    bool ConfigGiven = true,
    string? Mode = null,
    TestFilterPrint Print = TestFilterPrint.None,
    bool ShowMissed = false,
    string Journalctl = "journalctl");
