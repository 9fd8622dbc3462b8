using Tomlyn.Syntax;

namespace Tarpit.Config;

/// <summary>Reads <c>[crowdsec]</c>; the secrets named by a <c>*_file</c> key are read here, so <c>check</c> finds an unreadable one.</summary>
internal static class CrowdsecSection
{
    public static readonly IReadOnlyList<string> Keys =
    [
        "lapi_url", "bouncer_key", "bouncer_key_file", "pull_interval", "resync_interval", "origins", "scenarios_containing", "types",
        "machine_login", "machine_password", "machine_password_file", "credentials_file", "push",
    ];

    public const string DefaultUrl = "http://127.0.0.1:8080/";

    public static readonly TimeSpan DefaultPullInterval = TimeSpan.FromSeconds(10);

    /// <summary>Below this the LAPI is asked more often than any decision changes matter; the bench's 1 s is well above.</summary>
    public static readonly TimeSpan MinPullInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>An hour: a decision should not wait longer than that to reach the kernel.</summary>
    public static readonly TimeSpan MaxPullInterval = TimeSpan.FromHours(1);

    /// <summary>
    /// How often the whole decision set is asked for again (<c>startup=true</c>) instead of the changes. The stream's
    /// changes are "created since this bouncer's last pull", and a decision committed while the LAPI answers a pull is
    /// missed by it for good (seen with Debian 12's LAPI: a <c>cscli decisions add</c> right after a pull never came as a
    /// change); a snapshot brings such a decision, and lifts a delete that was missed the same way.
    /// </summary>
    public static readonly TimeSpan DefaultResyncInterval = TimeSpan.FromMinutes(10);

    /// <summary>A snapshot of 100,000 decisions costs a few seconds of CPU: asking for it more often than this is waste.</summary>
    public static readonly TimeSpan MinResyncInterval = TimeSpan.FromSeconds(1);

    /// <summary>A missed decision waits at most a day.</summary>
    public static readonly TimeSpan MaxResyncInterval = TimeSpan.FromHours(24);

    /// <summary>A key or password file larger than this is not one (CrowdSec's keys are 32 characters, its passwords 64).</summary>
    public const int MaxSecretFileBytes = 4096;

    /// <summary>Bound on one origin, scenario part or type in the filters (CrowdSec's scenario names are ~50 characters).</summary>
    public const int MaxFilterEntryLength = 128;

    /// <summary>Bound on the entries of one filter list.</summary>
    public const int MaxFilterEntries = 256;

    public static IReadOnlyList<string> DefaultTypes { get; } = ["ban"];

    public static CrowdsecConfig? Read(TomlTableView? table, string configDir)
    {
        if (table is null)
        {
            return null;
        }

        var urlText = table.GetString("lapi_url", out var urlNode);
        var pull = table.GetDuration("pull_interval", DefaultPullInterval, MaxPullInterval);
        if (pull < MinPullInterval && table.Take("pull_interval") is { } pullNode)
        {
            table.OutOfRange("pull_interval", pullNode, DurationSyntax.Format(pull), $"{DurationSyntax.Format(MinPullInterval)}-{DurationSyntax.Format(MaxPullInterval)}");
            pull = DefaultPullInterval;
        }

        var resync = table.GetDuration("resync_interval", DefaultResyncInterval, MaxResyncInterval);
        if (resync < MinResyncInterval && table.Take("resync_interval") is { } resyncNode)
        {
            table.OutOfRange("resync_interval", resyncNode, DurationSyntax.Format(resync), $"{DurationSyntax.Format(MinResyncInterval)}-{DurationSyntax.Format(MaxResyncInterval)}");
            resync = DefaultResyncInterval;
        }

        var bouncerKey = ReadSecret(table, "bouncer_key", "bouncer_key_file", configDir);
        var origins = ReadList(table, "origins", "an origin, e.g. \"cscli\"");
        var scenarios = ReadList(table, "scenarios_containing", "a part of a scenario name, e.g. \"ssh\"");
        IReadOnlyList<string> types = table.Has("types") ? ReadList(table, "types", "a decision type, e.g. \"ban\"") : DefaultTypes;
        var login = table.GetString("machine_login", out var loginNode);
        var password = ReadSecret(table, "machine_password", "machine_password_file", configDir);
        var credentialsPath = table.GetString("credentials_file", out var credentialsNode);
        var push = table.GetBool("push", true);
        table.ReportUnknownKeys(Keys);

        string? credentialsFile = null;
        Uri? credentialsUrl = null;
        if (!string.IsNullOrEmpty(credentialsPath) && credentialsNode is not null)
        {
            if (!string.IsNullOrEmpty(login) || password is not null)
            {
                table.Diagnostics.Add(credentialsNode, "'credentials_file' and 'machine_login' / 'machine_password' both name the machine; keep one of them");
            }
            else
            {
                credentialsFile = Path.GetFullPath(credentialsPath, configDir);
                if (CrowdsecCredentials.Read(credentialsFile, out var problem) is { } credentials)
                {
                    (login, password, credentialsUrl) = (credentials.Login, new ConfigSecret(credentials.Password, credentialsFile), credentials.Url);
                }
                else
                {
                    table.Diagnostics.Add(credentialsNode, $"'credentials_file' {TomlText.Quote(credentialsPath)} {problem}");
                }
            }
        }
        else if (!string.IsNullOrEmpty(login) && password is null)
        {
            table.Diagnostics.Add(loginNode!, "'machine_login' needs 'machine_password' or 'machine_password_file' (cscli machines add prints both); or set machine_login = \"\" to turn pushing off");
        }
        else if (string.IsNullOrEmpty(login) && password is not null)
        {
            table.Diagnostics.Add(table.KeyPosition(table.Has("machine_password") ? "machine_password" : "machine_password_file"), "a machine password without 'machine_login'; set machine_login to the machine's name (cscli machines list)");
            password = null;
        }

        var url = ReadUrl(table, urlText, urlNode) ?? credentialsUrl ?? new Uri(DefaultUrl);
        return new CrowdsecConfig(url, bouncerKey, pull, origins, scenarios, types, string.IsNullOrEmpty(login) ? null : login, password, push)
        {
            CredentialsFile = credentialsFile,
            ResyncInterval = resync,
        };
    }

    private static Uri? ReadUrl(TomlTableView table, string? text, ValueSyntax? node)
    {
        if (text is null || node is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            table.Diagnostics.Add(node, $"'lapi_url' {TomlText.Quote(text)} is not a LAPI address; expected an http:// or https:// URL without user, query or fragment, e.g. \"{DefaultUrl}\"");
            return null;
        }

        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.GetLeftPart(UriPartial.Path) + "/");
    }

    /// <summary>A secret written inline (<paramref name="key"/>) or read from a file (<paramref name="fileKey"/>), never both; "" is off.</summary>
    private static ConfigSecret? ReadSecret(TomlTableView table, string key, string fileKey, string configDir)
    {
        var inline = table.GetString(key, out var inlineNode);
        var path = table.GetString(fileKey, out var fileNode);
        if (!string.IsNullOrEmpty(inline) && !string.IsNullOrEmpty(path))
        {
            table.Diagnostics.Add(fileNode!, $"'{key}' and '{fileKey}' are both set; keep one of them");
            return null;
        }

        if (!string.IsNullOrEmpty(inline))
        {
            if (inline.Any(char.IsControl) || inline.Trim().Length != inline.Length)
            {
                table.Diagnostics.Add(inlineNode!, $"'{key}' holds spaces or control characters at its ends or inside; paste the value as cscli printed it");
                return null;
            }

            return new ConfigSecret(inline, null);
        }

        if (string.IsNullOrEmpty(path) || fileNode is null)
        {
            return null;
        }

        var full = Path.GetFullPath(path, configDir);
        if (ReadSecretFile(full, out var problem) is { } value)
        {
            return new ConfigSecret(value, full);
        }

        table.Diagnostics.Add(fileNode, $"'{fileKey}' {TomlText.Quote(path)} {problem}");
        return null;
    }

    /// <summary>The file's one line, trimmed; null with the problem (never its content) otherwise.</summary>
    internal static string? ReadSecretFile(string path, out string problem)
    {
        problem = string.Empty;
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                problem = "does not exist";
                return null;
            }

            if (info.Length > MaxSecretFileBytes)
            {
                problem = $"is larger than {MaxSecretFileBytes} bytes; it should hold the secret alone on one line";
                return null;
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex is UnauthorizedAccessException ? "cannot be read (permission denied)" : "cannot be read";
            return null;
        }

        var value = text.Trim();
        if (value.Length == 0)
        {
            problem = "is empty; it should hold the secret alone on one line";
            return null;
        }

        if (value.Any(char.IsControl) || value.Any(char.IsWhiteSpace))
        {
            problem = "holds more than one word or line; it should hold the secret alone on one line";
            return null;
        }

        return value;
    }

    private static List<string> ReadList(TomlTableView table, string key, string expected)
    {
        var items = table.GetArray(key) ?? [];
        var values = new List<string>();
        foreach (var item in items)
        {
            if (item is StringValueSyntax { Value: { Length: > 0 and <= MaxFilterEntryLength } value } && !value.Any(char.IsControl))
            {
                values.Add(value);
            }
            else
            {
                table.Diagnostics.Add(item, $"invalid '{key}' entry: found {TomlText.Describe(item)}, expected {expected} (1-{MaxFilterEntryLength} characters)");
            }
        }

        if (values.Count > MaxFilterEntries)
        {
            table.Diagnostics.Add(table.KeyPosition(key), $"'{key}' has {values.Count} entries; at most {MaxFilterEntries}");
        }

        return values;
    }
}
