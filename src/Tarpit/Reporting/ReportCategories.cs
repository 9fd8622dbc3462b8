using Tarpit.Config;

namespace Tarpit.Reporting;

/// <summary>
/// The AbuseIPDB categories of each reason we report, from AbuseIPDB's list (https://www.abuseipdb.com/categories):
/// 14 Port Scan ("scanning for open ports and vulnerable services"), 15 Hacking, 18 Brute-Force ("credential
/// brute-force attacks on webpage logins and services like SSH"), 19 Bad Web Bot, 21 Web App Attack ("attempts to probe
/// for or exploit installed web applications"), 22 SSH ("use this category in combination with more specific
/// categories"). The report's <c>categories</c> field is these numbers, comma-separated.
/// </summary>
internal static class ReportCategories
{
    public const int PortScan = 14;
    public const int Hacking = 15;
    public const int BruteForce = 18;
    public const int BadWebBot = 19;
    public const int WebAppAttack = 21;
    public const int Ssh = 22;

    /// <summary>The categories of <paramref name="reason"/> (a <see cref="FilterNames.Reportable"/> name), or null for any other.</summary>
    public static IReadOnlyList<int>? Of(string reason) => reason switch
    {
        // The sshd filter counts failed logins and the refusals around them: an SSH brute force.
        FilterNames.Sshd => [BruteForce, Ssh],
        // The http-probe filter counts requests for scanner and exploit paths in an access log.
        FilterNames.HttpProbe => [WebAppAttack, BadWebBot],
        // A decoy port is one no service uses: only a scan finds it.
        FilterNames.Decoy => [PortScan],
        // A ban by hand (or through fail2ban) says nothing more specific.
        FilterNames.Manual => [Hacking],
        _ => null,
    };

    /// <summary>The form field: <c>18,22</c>.</summary>
    public static string Field(IReadOnlyList<int> categories) =>
        string.Join(',', categories.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
