using System.Buffers;
using System.Runtime.CompilerServices;
using Tarpit.Config;
using Tarpit.Net;

namespace Tarpit.Detection.Filters;

/// <summary>
/// The built-in <c>sshd</c> filter: every message class fail2ban's <c>filter.d/sshd.conf</c> bans on, in its four
/// modes (<see cref="FilterNames.Modes"/>: <c>normal</c>; <c>ddos</c> adds probes that never try to log in; <c>extra</c>
/// adds failed negotiations and preauth disconnects of named users; <c>aggressive</c> is both), for OpenSSH 7.4 to 9.9.
/// A line is dispatched on sshd's fixed words with span scans (no regex, no allocation on the lines that are not
/// failures); the address is read only where sshd writes it (<see cref="SshdText"/>), so no user name can move it.
/// Lines that name no address are joined with their connection's other lines by pid (<see cref="SshdConnections"/>);
/// that makes the filter stateful: one instance per watch, not thread-safe.
/// </summary>
internal sealed partial class SshdFilter : ILogFilter
{
    /// <summary>Shorter messages are never one of sshd's failures.</summary>
    private const int MinMessageLength = 8;

    private const string Preauth = " [preauth]";

    /// <summary>The rule of the address lines that open a connection's record (see <see cref="Hit.Starts"/>).</summary>
    private const string StartRule = "connection";

    private static readonly SearchValues<string> RelevantWords = SearchValues.Create(
        ["fail", "invalid", "illegal", "error", "disconnect", "closed", "refused", "timeout", "unable", "too many", "maximum", "bad ", "not allowed", "identification", "negotiate"],
        StringComparison.OrdinalIgnoreCase);

    private readonly bool _ddos;
    private readonly bool _extra;
    private readonly SshdConnections _connections = new();

    /// <param name="mode">One of <see cref="FilterNames.Modes"/>.</param>
    public SshdFilter(string mode = FilterNames.NormalMode)
    {
        Mode = mode;
        _ddos = mode is FilterNames.DdosMode or FilterNames.AggressiveMode;
        _extra = mode is FilterNames.ExtraMode or FilterNames.AggressiveMode;
    }

    public string Name => FilterNames.Sshd;

    public string Mode { get; }

    /// <summary>Connections whose lines are being joined by pid right now.</summary>
    public int TrackedConnections => _connections.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public FilterMatch Match(in LogView line)
    {
        if (line.HasProgram && !IsSshd(line.Program))
        {
            return FilterMatch.Missed;
        }

        var message = line.Message;
        if (message.Length < MinMessageLength)
        {
            return FilterMatch.Missed;
        }

        // fail2ban's __pref: "error: ", "fatal: ", then "PAM: "; its __suff: trailing blanks and " [preauth]"
        if (message[0] is 'e' or 'f' && (SshdText.TryStrip(ref message, "error: ") || SshdText.TryStrip(ref message, "fatal: ")))
        {
            SshdText.TryStrip(ref message, "PAM: ");
        }

        message = message.TrimEnd(' ');
        var preauth = message.EndsWith(Preauth);
        if (preauth)
        {
            message = message[..^Preauth.Length];
        }

        var hit = Classify(message, preauth);
        return hit.Kind == HitKind.None ? FilterMatch.Missed : Resolve(line, hit);
    }

    public bool LooksRelevant(in LogView line) =>
        (!line.HasProgram || IsSshd(line.Program)) && line.Message.IndexOfAny(RelevantWords) >= 0;

    /// <summary>What a recognised line means, given what its pid said before.</summary>
    private FilterMatch Resolve(in LogView line, in Hit hit)
    {
        if (hit.Kind == HitKind.WithoutAddress)
        {
            if (line.Pid <= 0)
            {
                return FilterMatch.IgnoredBecause(Rules.NoPid);
            }

            var at = line.Timestamp;
            return _connections.FailedWithoutAddress(line.Pid, hit.Rule, at) is { } known
                ? FilterMatch.Offence(known, at, hit.Rule)
                : FilterMatch.IgnoredBecause(Rules.WaitingForAddress);
        }

        // A login, or a connection's end or disconnect, matters only to a pid with something held: skip the rest cheaply.
        var tracked = _connections.Knows(line.Pid);
        if (!tracked && hit.Kind is HitKind.LoggedIn or HitKind.Address && !hit.Starts)
        {
            return FilterMatch.Missed;
        }

        if (!LogAddress.TryParse(hit.Host, out var address))
        {
            return hit.Kind is HitKind.Failure or HitKind.PamFailure ? FilterMatch.IgnoredBecause(Rules.NotAnAddress) : FilterMatch.Missed;
        }

        var time = line.Timestamp;
        switch (hit.Kind)
        {
            case HitKind.Failure:
                if (tracked)
                {
                    _connections.Failed(line.Pid, address, time, hit.Closing);
                }

                return FilterMatch.Offence(address, time, hit.Rule);
            case HitKind.PamFailure:
                return _connections.PamFailed(line.Pid, address, time, string.GetHashCode(hit.User)) ? FilterMatch.Offence(address, time, Rules.PamUserChanged)
                    : FilterMatch.IgnoredBecause(line.Pid > 0 ? Rules.PamHeld : Rules.NoPid);
            case HitKind.LoggedIn:
                return _connections.LoggedIn(line.Pid, address, time, string.GetHashCode(hit.User)) ? FilterMatch.Offence(address, time, Rules.PamUserChanged) : FilterMatch.Missed;
            default:
                var pending = _connections.Saw(line.Pid, address, time, hit.Closing);
                return pending is not null ? FilterMatch.Offence(address, time, pending)
                    : hit.Kind == HitKind.ValidUserKey ? FilterMatch.IgnoredBecause(Rules.ValidUserKey)
                    : FilterMatch.Missed;
        }
    }

    private static bool IsSshd(ReadOnlySpan<char> program) =>
        program is "sshd" or "sshd-session" or "sshd-auth";

    private enum HitKind : byte
    {
        None,

        /// <summary>A failure by the address in <see cref="Hit.Host"/>.</summary>
        Failure,

        /// <summary>A failure whose line names no address: by the address its pid was serving.</summary>
        WithoutAddress,

        /// <summary>Not a failure, but it names the address of its pid's connection (fail2ban's F-NOFAIL).</summary>
        Address,

        /// <summary>A valid user's rejected public key: an <see cref="Address"/> line, reported as excused.</summary>
        ValidUserKey,

        /// <summary>A PAM module's failure: held for sshd's own line.</summary>
        PamFailure,

        /// <summary><c>Accepted …</c>: nothing held for the connection counts.</summary>
        LoggedIn,
    }

    private readonly ref struct Hit(HitKind kind, ReadOnlySpan<char> host, string rule, bool closing = false, ReadOnlySpan<char> user = default)
    {
        /// <summary>The user a PAM failure or a login named (only for those).</summary>
        public ReadOnlySpan<char> User { get; } = user;

        public HitKind Kind { get; } = kind;

        public ReadOnlySpan<char> Host { get; } = host;

        public string Rule { get; } = rule;

        /// <summary>The connection's last line: its pid is forgotten after it.</summary>
        public bool Closing { get; } = closing;

        /// <summary>
        /// A line that later lines of the pid may need the address of (<c>Connection from</c>, a valid user's rejected key,
        /// an audit line): recorded even for a pid not seen before. Other address lines only settle what a pid holds.
        /// </summary>
        public bool Starts => Kind is HitKind.ValidUserKey || Rule is StartRule;
    }
}
