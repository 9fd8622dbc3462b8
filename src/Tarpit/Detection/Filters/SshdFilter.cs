using System.Buffers;
using System.Text.RegularExpressions;

namespace Tarpit.Detection.Filters;

/// <summary>
/// The built-in <c>sshd</c> filter. A line is first dispatched on the fixed words sshd puts at the start of the message
/// (no regex and no allocation for the lines that are not failures); only candidates run a source-generated regex.
/// <c>mode = "aggressive"</c> also counts preauth disconnects, banner-exchange failures and failed negotiations.
/// </summary>
internal sealed partial class SshdFilter(bool aggressive) : ILogFilter
{
    public const string FilterName = "sshd";

    private static readonly SearchValues<string> s_relevantWords = SearchValues.Create(
        ["fail", "invalid", "error", "disconnect", "closed", "refused", "timeout", "unable", "too many", "maximum", "bad "],
        StringComparison.OrdinalIgnoreCase);

    public string Name => FilterName;

    public bool Aggressive => aggressive;

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

        var regex = message[0] switch
        {
            'I' when message.StartsWith("Invalid user ") => InvalidUser(),
            'F' when message.StartsWith("Failed ") => Failed(),
            'e' when message.StartsWith("error: maximum authentication attempts") => MaxAttempts(),
            'e' when aggressive && message.StartsWith("error: banner exchange: ") => BannerExchange(),
            'm' when message.StartsWith("maximum authentication attempts") => MaxAttempts(),
            'D' when message.StartsWith("Disconnecting ") => TooManyFailures(),
            'D' when aggressive && message.StartsWith("Disconnected from ") => DisconnectedPreauth(),
            'D' when aggressive && message.StartsWith("Did not receive identification") => NoIdentification(),
            'C' when aggressive && message.StartsWith("Connection ") => ConnectionClosedPreauth(),
            'R' when aggressive && message.StartsWith("Received disconnect from ") => ReceivedDisconnectPreauth(),
            'b' when aggressive && message.StartsWith("banner exchange: ") => BannerExchange(),
            'U' when aggressive && message.StartsWith("Unable to negotiate with ") => UnableToNegotiate(),
            'T' when aggressive && message.StartsWith("Timeout before authentication") => LoginGraceTimeout(),
            _ => null,
        };

        return regex is null ? FilterMatch.Missed : MatchAddress(regex, line);
    }

    public bool LooksRelevant(in LogView line) =>
        (!line.HasProgram || IsSshd(line.Program)) && line.Message.IndexOfAny(s_relevantWords) >= 0;

    /// <summary>
    /// Runs an anchored pattern and turns its <c>host</c> group into an offence. The span check allocates nothing; only
    /// a line that matched is copied once to read the group.
    /// </summary>
    internal static FilterMatch MatchAddress(Regex regex, in LogView line)
    {
        if (!regex.IsMatch(line.Message))
        {
            return FilterMatch.Missed;
        }

        var group = regex.Match(line.Message.ToString()).Groups["host"];
        return group.Success && AddressText.TryParse(line.Message.Slice(group.Index, group.Length), out var address)
            ? FilterMatch.Offence(address, line.Timestamp)
            : FilterMatch.Ignored;
    }

    private static bool IsSshd(ReadOnlySpan<char> program) =>
        program is "sshd" or "sshd-session" or "sshd-auth";
}
