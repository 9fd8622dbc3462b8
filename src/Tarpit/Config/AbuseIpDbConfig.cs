namespace Tarpit.Config;

/// <summary>
/// <c>[abuseipdb]</c>: report the offenders the agent caught to AbuseIPDB; off when the table is absent. The config
/// holds the key file's path only: the key is read by the reporter when it starts, so it is never part of a config
/// that is printed, compared or logged.
/// </summary>
/// <param name="ApiKeyFile">An absolute path to the file holding the API key (its first line).</param>
/// <param name="ApiUrl">The report endpoint: https, or http on a loopback address (a local test server).</param>
/// <param name="MinIntervalPerIp">A ban of an address reported within this time of its last report is not reported.</param>
/// <param name="DailyBudget">Requests per UTC day; when spent, reporting waits for the next day.</param>
/// <param name="Report">The ban reasons reported (<see cref="FilterNames.Reportable"/>).</param>
internal sealed record AbuseIpDbConfig(string ApiKeyFile, Uri ApiUrl, TimeSpan MinIntervalPerIp, int DailyBudget, IReadOnlyList<string> Report)
{
    /// <summary>AbuseIPDB's documented endpoint (https://docs.abuseipdb.com/#report-endpoint).</summary>
    public static readonly Uri DefaultApiUrl = new("https://api.abuseipdb.com/api/v2/report");

    /// <summary>AbuseIPDB answers 422 to a report of one address within 15 minutes of the last (docs.abuseipdb.com, report endpoint).</summary>
    public static readonly TimeSpan DefaultMinIntervalPerIp = TimeSpan.FromMinutes(15);

    /// <summary>The free tier's report limit per day (abuseipdb.com/pricing: 1,000 reports a day).</summary>
    public const int DefaultDailyBudget = 1000;

    /// <summary>Far above any paid tier's daily limit; a larger value is a typo.</summary>
    public const int MaxDailyBudget = 10_000_000;

    public static IReadOnlyList<string> DefaultReport { get; } = [FilterNames.Decoy, FilterNames.Sshd, FilterNames.HttpProbe];

    public static AbuseIpDbConfig Off { get; } = new(string.Empty, DefaultApiUrl, DefaultMinIntervalPerIp, DefaultDailyBudget, []);

    public bool Enabled => ApiKeyFile.Length > 0;

    /// <summary>Value equality, the report list compared item by item.</summary>
    public bool Equals(AbuseIpDbConfig? other) =>
        other is not null
        && ApiKeyFile == other.ApiKeyFile
        && ApiUrl == other.ApiUrl
        && MinIntervalPerIp == other.MinIntervalPerIp
        && DailyBudget == other.DailyBudget
        && Report.SequenceEqual(other.Report);

    public override int GetHashCode() => HashCode.Combine(ApiKeyFile, ApiUrl, MinIntervalPerIp, DailyBudget, Report.Count);

    /// <summary>One line for a reload's "needs a restart" note; never the key, only where it is.</summary>
    public string Describe() => Enabled
        ? $"key file {ApiKeyFile}, {ApiUrl}, every {DurationSyntax.Format(MinIntervalPerIp)} per address, {DailyBudget}/day, report [{string.Join(", ", Report)}]"
        : "off";
}
