using System.Text.RegularExpressions;
using Tarpit.Config;

namespace Tarpit.Detection.Filters;

/// <summary>
/// Reads a fail2ban-style filter file (INI, <c>[Definition]</c>, multi-line values continued by indented lines) and
/// reports every problem at once with its position: <c>file:line:col: error: …</c> in a <see cref="ConfigException"/>.
/// </summary>
internal static class CustomFilterParser
{
    /// <summary>fail2ban's placeholder for the offender's address.</summary>
    public const string HostPlaceholder = "<HOST>";

    /// <summary>What <see cref="HostPlaceholder"/> becomes: an IPv4 or IPv6 address, never a host name (nothing to resolve).</summary>
    public const string HostPattern = "(?<host>[0-9A-Fa-f:.]{2,61})";

    /// <summary>A filter is read whole; a sane one is a few kilobytes.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    /// <summary>Each pattern runs on every line: a bound stops a catastrophic one from stalling the judge.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(500);

    private static readonly string[] Keys = ["failregex", "ignoreregex"];

    public static CustomFilter Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ConfigException([new ConfigDiagnostic(path, 1, 1, $"filter file not found: '{path}'; give a path to a fail2ban-style filter (relative paths are relative to the config file) or a built-in filter: sshd, http-probe")]);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new ConfigException([new ConfigDiagnostic(path, 1, 1, $"filter file is {info.Length} bytes; at most {MaxFileBytes} are allowed")]);
        }

        return Parse(Path.GetFileNameWithoutExtension(path), path, File.ReadAllText(path));
    }

    public static CustomFilter Parse(string name, string file, string text)
    {
        var diagnostics = new List<ConfigDiagnostic>();
        var values = ReadDefinition(file, text, diagnostics);
        var fail = Compile(file, values, "failregex", requireHost: true, diagnostics);
        var ignore = Compile(file, values, "ignoreregex", requireHost: false, diagnostics);
        if (fail.Count == 0 && diagnostics.Count == 0)
        {
            diagnostics.Add(new ConfigDiagnostic(file, 1, 1, "no failregex in [Definition]; add at least one pattern with <HOST>, e.g. failregex = ^Login failed from <HOST>$"));
        }

        if (diagnostics.Count > 0)
        {
            throw new ConfigException([.. diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column)]);
        }

        return new CustomFilter(name, fail, ignore);
    }

    /// <summary>The values of the <c>[Definition]</c> keys, one entry per non-empty line with its 1-based position.</summary>
    private static Dictionary<string, List<(string Text, int Line, int Column)>> ReadDefinition(string file, string text, List<ConfigDiagnostic> diagnostics)
    {
        var values = new Dictionary<string, List<(string, int, int)>>(StringComparer.Ordinal);
        string? section = null;
        List<(string, int, int)>? current = null;
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i];
            var lineNumber = i + 1;
            var trimmed = raw.TrimStart();
            var indent = raw.Length - trimmed.Length;
            if (trimmed.Length == 0 || trimmed[0] is '#' or ';')
            {
                continue;
            }

            if (indent > 0 && current is not null)
            {
                current.Add((trimmed.TrimEnd(), lineNumber, indent + 1));
                continue;
            }

            current = null;
            if (trimmed[0] == '[')
            {
                var end = trimmed.IndexOf(']', StringComparison.Ordinal);
                section = end > 0 ? trimmed[1..end].Trim() : null;
                if (section is not "Definition" and not "Init")
                {
                    diagnostics.Add(new ConfigDiagnostic(file, lineNumber, indent + 1, $"unsupported section '{trimmed.TrimEnd()}'; only [Definition] (and an ignored [Init]) are read, includes are not supported: copy the definitions into this file"));
                }

                continue;
            }

            var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                diagnostics.Add(new ConfigDiagnostic(file, lineNumber, indent + 1, $"expected 'key = value' or '[Section]', found '{trimmed.TrimEnd()}'"));
                continue;
            }

            if (section != "Definition")
            {
                continue;
            }

            var key = trimmed[..equals].Trim();
            if (!Keys.Contains(key))
            {
                diagnostics.Add(new ConfigDiagnostic(file, lineNumber, indent + 1, $"unknown key '{key}' in [Definition]; allowed: {string.Join(", ", Keys)}"));
                continue;
            }

            current = values.TryGetValue(key, out var existing) ? existing : values[key] = [];
            var value = trimmed[(equals + 1)..];
            var valueStart = indent + equals + 1 + (value.Length - value.TrimStart().Length);
            if (value.Trim().Length > 0)
            {
                current.Add((value.Trim(), lineNumber, valueStart + 1));
            }
        }

        return values;
    }

    private static List<Regex> Compile(string file, Dictionary<string, List<(string Text, int Line, int Column)>> values, string key, bool requireHost, List<ConfigDiagnostic> diagnostics)
    {
        var regexes = new List<Regex>();
        foreach (var (text, line, column) in values.GetValueOrDefault(key) ?? [])
        {
            if (text.Contains("%(", StringComparison.Ordinal))
            {
                diagnostics.Add(new ConfigDiagnostic(file, line, column + text.IndexOf("%(", StringComparison.Ordinal), "fail2ban interpolation %(name)s is not supported; patterns match the message after the syslog prefix, so drop %(__prefix_line)s and write the rest out"));
                continue;
            }

            var host = text.IndexOf(HostPlaceholder, StringComparison.Ordinal);
            var hosts = text.Split(HostPlaceholder).Length - 1;
            if (requireHost && hosts != 1)
            {
                diagnostics.Add(new ConfigDiagnostic(file, line, column, $"{key} must contain {HostPlaceholder} exactly once (found {hosts}): it marks the offender's address"));
                continue;
            }

            if (!requireHost && hosts > 0)
            {
                diagnostics.Add(new ConfigDiagnostic(file, line, column + host, $"{HostPlaceholder} has no meaning in {key}; remove it"));
                continue;
            }

            var pattern = host >= 0 ? text.Replace(HostPlaceholder, HostPattern, StringComparison.Ordinal) : text;
            try
            {
                regexes.Add(new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout));
            }
            catch (RegexParseException ex)
            {
                var offset = host >= 0 && ex.Offset > host + HostPattern.Length ? ex.Offset - (HostPattern.Length - HostPlaceholder.Length) : Math.Min(ex.Offset, text.Length);
                diagnostics.Add(new ConfigDiagnostic(file, line, column + Math.Max(0, offset - 1), $"invalid regular expression in {key}: {ex.Error} ({text})"));
            }
        }

        return regexes;
    }
}
