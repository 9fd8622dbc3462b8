using System.Globalization;
using System.Text.RegularExpressions;
using Tarpit.Config;
using Tarpit.Text;

namespace Tarpit.Reporting;

/// <summary>
/// The report's comment: our own words only. What the offender sent (the log line, with the user names and passwords
/// typed at a login, and our host name in its syslog prefix), the tarpit's name and our ports and addresses never go
/// in: of a watch's reason only the count and the window are kept, read from the judge's fixed wording. AbuseIPDB asks
/// for no personal data in comments (https://docs.abuseipdb.com/#report-endpoint).
/// </summary>
internal static partial class ReportComment
{
    /// <summary>AbuseIPDB's report endpoint takes at most 1024 characters of comment (docs.abuseipdb.com, report endpoint: "comment … limited to 1024 characters").</summary>
    public const int MaxLength = 1024;

    private const string Signature = " (tarpit-agent)";

    /// <summary>The comment for a ban reported under <paramref name="reasonName"/>, whose stored reason is <paramref name="banReason"/>.</summary>
    public static string For(string reasonName, string banReason, int banCount)
    {
        ArgumentNullException.ThrowIfNull(reasonName);
        ArgumentNullException.ThrowIfNull(banReason);
        var counted = WatchReason().Match(banReason) is { Success: true } match
            ? string.Create(CultureInfo.InvariantCulture, $": {match.Groups["count"].Value} offences within {match.Groups["window"].Value}")
            : string.Empty;
        var text = reasonName switch
        {
            FilterNames.Sshd => $"SSH brute force: failed or refused logins in the sshd log{counted}",
            FilterNames.HttpProbe => $"Web application probing: requests for scanner and exploit paths in an access log{counted}",
            FilterNames.Decoy => "Port scan: connected to a decoy port that no service uses",
            _ => "Banned by the administrator",
        };
        var repeat = banCount > 1 ? string.Create(CultureInfo.InvariantCulture, $"; ban #{banCount} of this address") : string.Empty;
        // Our words are ASCII already; escaping holds the bound in characters and in bytes alike.
        return AttackerText.Escape(text + repeat + Signature, MaxLength);
    }

    /// <summary>The judge's wording (<c>WatchJudge</c>): "sshd: 5 offences within 10m, last: …"; only the number and the duration are read.</summary>
    [GeneratedRegex(@"^[a-z0-9-]{1,64}: (?<count>[0-9]{1,9}) offences within (?<window>[0-9a-z]{1,24}),", RegexOptions.CultureInvariant)]
    private static partial Regex WatchReason();
}
