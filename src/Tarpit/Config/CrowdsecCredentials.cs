namespace Tarpit.Config;

/// <summary>
/// CrowdSec's own machine credentials file (<c>/etc/crowdsec/local_api_credentials.yaml</c>, written by
/// <c>cscli machines add --auto</c> or <c>-f</c>): three flat YAML keys, <c>url</c>, <c>login</c>, <c>password</c>.
/// Read without a YAML library: one <c>key: value</c> per line, values plain or quoted, comments ignored.
/// </summary>
internal sealed record CrowdsecCredentials(Uri? Url, string Login, string Password)
{
    /// <summary>The credentials, or null with the problem (never the file's content).</summary>
    public static CrowdsecCredentials? Read(string path, out string problem)
    {
        problem = string.Empty;
        string[] lines;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                problem = "does not exist";
                return null;
            }

            if (info.Length > CrowdsecSection.MaxSecretFileBytes)
            {
                problem = $"is larger than {CrowdsecSection.MaxSecretFileBytes} bytes; it is not a CrowdSec credentials file";
                return null;
            }

            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex is UnauthorizedAccessException ? "cannot be read (permission denied)" : "cannot be read";
            return null;
        }

        string? url = null, login = null, password = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var value = Unquote(line[(colon + 1)..].Trim());
            switch (line[..colon].Trim())
            {
                case "url":
                    url = value;
                    break;
                case "login":
                    login = value;
                    break;
                case "password":
                    password = value;
                    break;
            }
        }

        if (string.IsNullOrEmpty(login) || string.IsNullOrEmpty(password))
        {
            problem = "has no 'login:' and 'password:' lines (CrowdSec's local_api_credentials.yaml format: url, login, password)";
            return null;
        }

        Uri? lapi = null;
        if (!string.IsNullOrEmpty(url))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out lapi) || lapi.Scheme is not ("http" or "https"))
            {
                problem = "has a 'url:' that is not an http:// or https:// URL";
                return null;
            }

            lapi = lapi.AbsolutePath.EndsWith('/') ? lapi : new Uri(lapi.GetLeftPart(UriPartial.Path) + "/");
        }

        return new CrowdsecCredentials(lapi, login, password);
    }

    /// <summary>Never the password: records print their members.</summary>
    public override string ToString() => $"CrowdsecCredentials {{ Url = {Url}, Login = {Login} }}";

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && ((value[0] == '"' && value[^1] == '"') || (value[0] == '\'' && value[^1] == '\'')))
        {
            return value[1..^1];
        }

        var comment = value.IndexOf(" #", StringComparison.Ordinal);
        return comment >= 0 ? value[..comment].TrimEnd() : value;
    }
}
