using System.Net;
using Tomlyn.Syntax;

namespace Tarpit.Config;

/// <summary>Reads <c>[abuseipdb]</c>. No message ever quotes the key file's content: only its path.</summary>
internal static class AbuseIpDbSection
{
    public static readonly IReadOnlyList<string> Keys = ["api_key_file", "api_url", "min_interval_per_ip", "daily_budget", "report"];

    /// <summary>An AbuseIPDB key is 80 hex characters; a file larger than this is not a key file.</summary>
    public const int MaxKeyFileBytes = 4096;

    public static AbuseIpDbConfig Read(TomlTableView? table, string configDir)
    {
        if (table is null)
        {
            return AbuseIpDbConfig.Off;
        }

        var keyText = table.GetString("api_key_file", out var keyNode);
        string keyFile = string.Empty;
        if (keyNode is null)
        {
            table.ReportMissing("api_key_file", "\"/etc/tarpit/abuseipdb.key\"");
        }
        else if (keyText is { Length: 0 })
        {
            table.Diagnostics.Add(keyNode, "'api_key_file' is empty; expected the path of a file holding the AbuseIPDB API key; remove [abuseipdb] to turn reporting off");
        }
        else if (keyText is not null)
        {
            keyFile = Path.GetFullPath(keyText, configDir);
            if (KeyFileProblem(keyFile) is { } problem)
            {
                table.Diagnostics.Add(keyNode, $"'api_key_file' {TomlText.Quote(keyFile)} {problem}");
            }
        }

        var url = AbuseIpDbConfig.DefaultApiUrl;
        var urlText = table.GetString("api_url", out var urlNode);
        if (urlText is not null && urlNode is not null)
        {
            if (UrlProblem(urlText, out var parsed) is { } problem)
            {
                table.Diagnostics.Add(urlNode, $"'api_url' {TomlText.Quote(urlText)} {problem}");
            }
            else
            {
                url = parsed!;
            }
        }

        var interval = table.GetDuration("min_interval_per_ip", AbuseIpDbConfig.DefaultMinIntervalPerIp);
        if (interval < AbuseIpDbConfig.DefaultMinIntervalPerIp && table.Take("min_interval_per_ip") is { } intervalNode)
        {
            table.Diagnostics.Add(intervalNode, $"'min_interval_per_ip' is {DurationSyntax.Format(interval)}, shorter than AbuseIPDB's {DurationSyntax.Format(AbuseIpDbConfig.DefaultMinIntervalPerIp)} (it refuses a second report of one address within it); allowed: {DurationSyntax.Format(AbuseIpDbConfig.DefaultMinIntervalPerIp)}-{DurationSyntax.Format(DurationSyntax.Max)}");
            interval = AbuseIpDbConfig.DefaultMinIntervalPerIp;
        }

        var budget = table.GetInt("daily_budget", AbuseIpDbConfig.DefaultDailyBudget, 1, AbuseIpDbConfig.MaxDailyBudget);
        var report = ReadReport(table);
        table.ReportUnknownKeys(Keys);
        return new AbuseIpDbConfig(keyFile, url, interval, budget, report);
    }

    /// <summary>Why the key file cannot serve, or null. Its content is read and dropped here; the reporter reads it again at start.</summary>
    internal static string? KeyFileProblem(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                return "is a folder; expected a file holding the API key";
            }

            using var file = File.OpenRead(path);
            if (file.Length > MaxKeyFileBytes)
            {
                return $"is larger than {MaxKeyFileBytes} bytes; expected a file holding only the API key";
            }

            using var reader = new StreamReader(file);
            return string.IsNullOrWhiteSpace(reader.ReadLine()) ? "is empty; write the API key on its first line" : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var reason = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => "does not exist",
                UnauthorizedAccessException => "cannot be read (permission denied)",
                _ => "cannot be read",
            };
            return $"{reason}; write the API key into it (mode 0600, readable by the agent's user)";
        }
    }

    /// <summary>
    /// An absolute https URL, or http to a loopback address (a local server for tests): the key travels in a header,
    /// so it must not cross a network in clear text.
    /// </summary>
    internal static string? UrlProblem(string text, out Uri? url)
    {
        url = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http") || parsed.Host.Length == 0)
        {
            return $"is not an http(s) URL; expected e.g. {TomlText.Quote(AbuseIpDbConfig.DefaultApiUrl.ToString())}";
        }

        if (parsed.UserInfo.Length > 0)
        {
            return "carries a user name or password; the key goes in api_key_file, the URL names only the endpoint";
        }

        if (parsed.Scheme == "http" && !IsLoopback(parsed))
        {
            return "uses http to a host that is not loopback; the API key would cross the network in clear text; use https";
        }

        url = parsed;
        return null;
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    private static List<string> ReadReport(TomlTableView table)
    {
        if (!table.Has("report"))
        {
            return [.. AbuseIpDbConfig.DefaultReport];
        }

        var report = new List<string>();
        foreach (var item in table.GetArray("report") ?? [])
        {
            if (item is StringValueSyntax { Value: { } name } && FilterNames.Reportable.Contains(name))
            {
                if (!report.Contains(name))
                {
                    report.Add(name);
                }
            }
            else
            {
                var hint = item is StringValueSyntax { Value: { } typo } && KeySuggestion.Closest(typo, FilterNames.Reportable) is { } close
                    ? $"did you mean {TomlText.Quote(close)}? "
                    : string.Empty;
                table.Diagnostics.Add(item, $"unknown 'report' reason {TomlText.Describe(item)}; {hint}allowed: {string.Join(", ", FilterNames.Reportable.Select(TomlText.Quote))}");
            }
        }

        return report;
    }
}
