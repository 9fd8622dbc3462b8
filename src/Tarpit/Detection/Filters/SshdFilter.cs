using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Tarpit.Config;
using Tarpit.Net;

namespace Tarpit.Detection.Filters;

/// <summary>
/// The built-in <c>sshd</c> filter. A line is first dispatched on the fixed words sshd puts at the start of the message
/// (no regex and no allocation for the lines that are not failures); only candidates run a source-generated regex.
/// <c>mode = "aggressive"</c> also counts preauth disconnects, banner-exchange failures and failed negotiations.
/// </summary>
internal sealed partial class SshdFilter(bool aggressive) : ILogFilter
{
    private static readonly SearchValues<string> RelevantWords = SearchValues.Create(
        ["fail", "invalid", "error", "disconnect", "closed", "refused", "timeout", "unable", "too many", "maximum", "bad "],
        StringComparison.OrdinalIgnoreCase);

    public string Name => FilterNames.Sshd;

    public bool Aggressive => aggressive;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public FilterMatch Match(in LogView line)
    {
        if (line.HasProgram && !IsSshd(line.Program))
        {
            return FilterMatch.Missed;
        }

        var message = line.Message;
        if (message.Length < 8)
        {
            return FilterMatch.Missed;
        }

        // Start-anchored shapes have the address right after sshd's fixed words (the first " port " follows it);
        // end-anchored ones have it just before the last " port ", after any attacker-chosen user name.
        var (regex, fromEnd) = message[0] switch
        {
            'I' when message.StartsWith("Invalid user ") => (InvalidUser(), true),
            'F' when message.StartsWith("Failed ") => (Failed(), true),
            'e' when message.StartsWith("error: maximum authentication attempts") => (MaxAttempts(), true),
            'e' when aggressive && message.StartsWith("error: banner exchange: ") => (BannerExchange(), false),
            'm' when message.StartsWith("maximum authentication attempts") => (MaxAttempts(), true),
            'D' when message.StartsWith("Disconnecting ") => (TooManyFailures(), true),
            'D' when aggressive && message.StartsWith("Disconnected from ") => (DisconnectedPreauth(), true),
            'D' when aggressive && message.StartsWith("Did not receive identification") => (NoIdentification(), false),
            'C' when aggressive && message.StartsWith("Connection ") => (ConnectionClosedPreauth(), true),
            'R' when aggressive && message.StartsWith("Received disconnect from ") => (ReceivedDisconnectPreauth(), false),
            'b' when aggressive && message.StartsWith("banner exchange: ") => (BannerExchange(), false),
            'U' when aggressive && message.StartsWith("Unable to negotiate with ") => (UnableToNegotiate(), false),
            'T' when aggressive && message.StartsWith("Timeout before authentication") => (LoginGraceTimeout(), false),
            _ => (null, false),
        };

        if (regex is null || !regex.IsMatch(message))
        {
            return FilterMatch.Missed;
        }

        return LogAddress.TryParse(AddressBeforePort(message, fromEnd), out var address)
            ? FilterMatch.Offence(address, line.Timestamp)
            : FilterMatch.Ignored;
    }

    public bool LooksRelevant(in LogView line) =>
        (!line.HasProgram || IsSshd(line.Program)) && line.Message.IndexOfAny(RelevantWords) >= 0;

    /// <summary>
    /// The address in a message whose shape a pattern has confirmed: the word before the last (or the first)
    /// <c>" port "</c>. The shapes guarantee that word is what sshd wrote, never part of a user name.
    /// </summary>
    internal static ReadOnlySpan<char> AddressBeforePort(ReadOnlySpan<char> message, bool fromEnd)
    {
        var port = fromEnd ? message.LastIndexOf(" port ") : message.IndexOf(" port ");
        if (port <= 0)
        {
            return default;
        }

        var before = message[..port];
        return before[(before.LastIndexOf(' ') + 1)..];
    }

    /// <summary>
    /// Runs a pattern with a <c>host</c> group (custom filters): the span check allocates nothing; only a line that
    /// matched is copied once to read the group.
    /// </summary>
    internal static FilterMatch MatchHostGroup(Regex regex, in LogView line)
    {
        if (!regex.IsMatch(line.Message))
        {
            return FilterMatch.Missed;
        }

        var group = regex.Match(line.Message.ToString()).Groups["host"];
        return group.Success && LogAddress.TryParse(line.Message.Slice(group.Index, group.Length), out var address)
            ? FilterMatch.Offence(address, line.Timestamp)
            : FilterMatch.Ignored;
    }

    private static bool IsSshd(ReadOnlySpan<char> program) =>
        program is "sshd" or "sshd-session" or "sshd-auth";
}
