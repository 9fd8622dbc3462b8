using System.Text.RegularExpressions;
using Tarpit.Net;

namespace Tarpit.Detection.Filters;

/// <summary>
/// A fail2ban-style filter file: <c>failregex</c> lines with a <c>&lt;HOST&gt;</c> placeholder and <c>ignoreregex</c>
/// lines. Patterns run against the message after the syslog prefix (the whole line when it has none), so they are
/// written without fail2ban's <c>%(__prefix_line)s</c>. Built by <see cref="CustomFilterParser"/>.
/// </summary>
internal sealed class CustomFilter(string name, IReadOnlyList<Regex> failRegexes, IReadOnlyList<Regex> ignoreRegexes) : ILogFilter
{
    /// <summary>Why a matched line charged nobody: its host group is not a plain IP address (a host name, leading zeros).</summary>
    public const string NotAnAddress = "host is not a plain IP address";

    public string Name => name;

    public IReadOnlyList<Regex> FailRegexes => failRegexes;

    public IReadOnlyList<Regex> IgnoreRegexes => ignoreRegexes;

    public FilterMatch Match(in LogView line)
    {
        try
        {
            return MatchPatterns(line);
        }
        catch (RegexMatchTimeoutException)
        {
            // A pattern that backtracks for CustomFilterParser.MatchTimeout on some line: never an offence.
            return FilterMatch.Ignored;
        }
    }

    public bool LooksRelevant(in LogView line)
    {
        var message = line.Message;
        return message.Contains("fail", StringComparison.OrdinalIgnoreCase) || message.Contains("invalid", StringComparison.OrdinalIgnoreCase);
    }

    private FilterMatch MatchPatterns(in LogView line)
    {
        foreach (var regex in failRegexes)
        {
            if (!regex.IsMatch(line.Message))
            {
                continue;
            }

            foreach (var ignore in ignoreRegexes)
            {
                if (ignore.IsMatch(line.Message))
                {
                    return FilterMatch.Ignored;
                }
            }

            return MatchHostGroup(regex, line);
        }

        return FilterMatch.Missed;
    }

    /// <summary>
    /// Runs a pattern with a <c>host</c> group: the span check allocates nothing; only a line that matched is copied
    /// once to read the group.
    /// </summary>
    private FilterMatch MatchHostGroup(Regex regex, in LogView line)
    {
        if (!regex.IsMatch(line.Message))
        {
            return FilterMatch.Missed;
        }

        var group = regex.Match(line.Message.ToString()).Groups["host"];
        return group.Success && LogAddress.TryParse(line.Message.Slice(group.Index, group.Length), out var address)
            ? FilterMatch.Offence(address, line.Timestamp, name)
            : FilterMatch.IgnoredBecause(NotAnAddress);
    }
}
