namespace Tarpit;

/// <summary>
/// Every exit code <c>tarpit-agent</c> returns, in one place (sysexits.h where one fits). The fail2ban action and
/// scripts rely on them: never change what a code means. Listed in the root <c>--help</c> and in README.md.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>
    /// The operation failed: nft failed, the firewall is not usable, the store cannot be opened, <c>unban</c> of an
    /// address that was never banned (an unban of a ban that already ran out is <see cref="Ok"/>).
    /// </summary>
    public const int Failure = 1;

    /// <summary><c>status</c>: the agent runs but is degraded; every reason is printed. The number of <see cref="Failure"/>.</summary>
    public const int Degraded = 1;

    /// <summary>Bad command line: a bad argument or option value, an unknown option or verb, a missing argument.</summary>
    public const int Usage = 2;

    /// <summary><c>ban</c> refused: a target is allowlisted (<c>firewall.allow</c> or <c>[geoip]</c>); nothing changed. <c>--ok-if-allowlisted</c> makes it <see cref="Ok"/>.</summary>
    public const int Refused = 3;

    /// <summary><c>status</c> (and <c>sessions</c>): no agent is running, nothing answers on its control socket (LSB's "program is not running"). The number of <see cref="Refused"/>.</summary>
    public const int NotRunning = 3;

    /// <summary><c>test-filter</c> ran and no line matched (grep's "no match", with its own code: 1 is a failure here).</summary>
    public const int NoMatch = 4;

    /// <summary>EX_NOINPUT: <c>test-filter</c> cannot read the log file (or run journalctl for <c>--journal</c>).</summary>
    public const int NoInput = 66;

    /// <summary>
    /// EX_TEMPFAIL: the state database refused the write (<c>database is locked</c>, <c>disk is full</c>, <c>the store is
    /// read-only</c>); nothing was changed. Retry once the cause is gone.
    /// </summary>
    public const int StoreUnavailable = 75;

    /// <summary>EX_SOFTWARE: a bug in tarpit-agent, reported once with its stack trace.</summary>
    public const int Software = 70;

    /// <summary>EX_CONFIG: the config is invalid; systemd's <c>RestartPreventExitStatus=78</c> keeps it from restart-looping.</summary>
    public const int Config = 78;

    /// <summary>128 + SIGINT, the shell's convention: a verb was interrupted (SIGINT/SIGTERM) before it finished.</summary>
    public const int Interrupted = 130;

    /// <summary>The table as the root <c>--help</c> prints it.</summary>
    public static string Table { get; } = string.Join(
        "\n",
        "Exit codes:",
        $"  {Ok,-3}  ok",
        $"  {Failure,-3}  failed: nft failed, firewall not usable, store cannot be opened, unban of an address never banned; status: running but degraded (the reasons are printed)",
        $"  {Usage,-3}  usage: bad argument or option value, unknown option or verb, missing argument",
        $"  {Refused,-3}  refused: a ban target is allowlisted (firewall.allow or [geoip]); nothing changed (0 with --ok-if-allowlisted); status, sessions: the agent is not running",
        $"  {NoMatch,-3}  test-filter: no line matched",
        $"  {NoInput,-3}  test-filter: the log file or journal cannot be read",
        $"  {StoreUnavailable,-3}  the store refused the write: database is locked, disk is full, or the store is read-only; nothing changed",
        $"  {Software,-3}  a bug in tarpit-agent (reported once, with its stack trace)",
        $"  {Config,-3}  invalid config: every problem printed as FILE:LINE:COLUMN: error: …",
        $"  {Interrupted,-3}  interrupted (SIGINT/SIGTERM) before the verb finished");
}
