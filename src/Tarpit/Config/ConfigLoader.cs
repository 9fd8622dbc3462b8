using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Tarpit.Config;

/// <summary>
/// Loads <c>tarpit.toml</c>: TOML syntax, then every table and key against the schema, then checks across tables.
/// Every problem is collected; an invalid config throws one <see cref="ConfigException"/> listing them all.
/// </summary>
internal static class ConfigLoader
{
    private const string Agent = "agent";
    private const string Firewall = "firewall";
    private const string Tarpit = "tarpit";
    private const string Watch = "watch";
    private const string GeoIp = "geoip";
    private const string Metrics = "metrics";
    private const string AbuseIpDb = "abuseipdb";
    private const string Crowdsec = "crowdsec";

    private static readonly string[] Tables = [Agent, Firewall, GeoIp, Metrics, AbuseIpDb, Crowdsec];
    private static readonly string[] Arrays = [Tarpit, Watch];
    private static readonly string[] AllNames = [Agent, Firewall, Tarpit, Watch, GeoIp, Metrics, AbuseIpDb, Crowdsec];

    /// <summary>Reads and validates the file at <paramref name="path"/>; diagnostics name it as given.</summary>
    public static ConfigFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw ConfigDiagnosticBag.FileLevel(path, "this is a folder, not a config file; pass the path of tarpit.toml with --config FILE");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var reason = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => "the file does not exist",
                UnauthorizedAccessException => "permission denied",
                _ => ex.Message,
            };
            throw ConfigDiagnosticBag.FileLevel(path, $"cannot read the config file ({reason}); create it (the repository's tarpit.toml is a commented example) or pass --config FILE");
        }

        return Parse(text, path);
    }

    /// <summary>Validates <paramref name="text"/> as if read from <paramref name="path"/>; relative paths resolve against its folder.</summary>
    public static ConfigFile Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);
        var diagnostics = new ConfigDiagnosticBag(path);
        var document = SyntaxParser.Parse(text, path, validate: false);
        foreach (var message in document.Diagnostics.Where(d => d.Kind == DiagnosticMessageKind.Error))
        {
            diagnostics.Add(message.Span.Start, $"TOML syntax: {message.Message}");
        }

        // A broken file yields a guessed tree; schema errors found in it would only confuse.
        diagnostics.ThrowIfAny();

        var sourcePath = Path.GetFullPath(path);
        var configDir = Path.GetDirectoryName(sourcePath) ?? sourcePath;
        foreach (var key in document.KeyValues.Where(k => k.Key is not null))
        {
            var name = TomlKeys.Name(key.Key!);
            diagnostics.Add(key.Key!, AllNames.Contains(name)
                ? $"'{name}' must be written as a table: a {Spell(name)} header with its keys on the lines below"
                : $"key '{name}' is outside any table; every key belongs under one of {AllowedTables()}");
        }

        var (tables, arrays) = Group(document, diagnostics);
        var agent = AgentSection.Read(tables.GetValueOrDefault(Agent), configDir);
        var firewall = FirewallSection.Read(tables.GetValueOrDefault(Firewall));
        var tarpits = arrays[Tarpit].Select(TarpitSection.Read).ToList();
        TarpitConflicts.Report(tarpits, diagnostics);
        var watches = arrays[Watch].Select(t => WatchSection.Read(t, configDir)).ToList();
        ReportDuplicateWatchNames(watches, diagnostics);
        var geoIp = GeoIpSection.Read(tables.GetValueOrDefault(GeoIp), configDir);
        var metrics = MetricsSection.Read(tables.GetValueOrDefault(Metrics));
        var abuseIpDb = AbuseIpDbSection.Read(tables.GetValueOrDefault(AbuseIpDb), configDir);
        var crowdsec = CrowdsecSection.Read(tables.GetValueOrDefault(Crowdsec), configDir);
        diagnostics.ThrowIfAny();
        return new ConfigFile(sourcePath, agent, firewall, [.. tarpits.Select(t => t.Config)], [.. watches.Select(w => w.Config)], geoIp)
        {
            Notes = diagnostics.Notes,
            Metrics = metrics,
            AbuseIpDb = abuseIpDb,
            Crowdsec = crowdsec,
        };
    }

    private static (Dictionary<string, TomlTableView> Tables, Dictionary<string, List<TomlTableView>> Arrays) Group(
        DocumentSyntax document, ConfigDiagnosticBag diagnostics)
    {
        var tables = new Dictionary<string, TomlTableView>(StringComparer.Ordinal);
        var arrays = Arrays.ToDictionary(a => a, _ => new List<TomlTableView>(), StringComparer.Ordinal);
        foreach (var table in document.Tables)
        {
            if (table.Name is null)
            {
                continue;
            }

            var name = TomlKeys.Name(table.Name);
            var isArray = table is TableArraySyntax;
            var header = table.Span.Start;
            var items = (IEnumerable<KeyValueSyntax>?)table.Items ?? [];
            if (Tables.Contains(name) && !isArray)
            {
                if (tables.TryGetValue(name, out var first))
                {
                    diagnostics.Add(header, $"duplicate table [{name}]: it is already defined on line {first.Header.Line + 1}; merge the two");
                    continue;
                }

                tables.Add(name, new TomlTableView(diagnostics, $"[{name}]", header, items));
            }
            else if (Arrays.Contains(name) && isArray)
            {
                arrays[name].Add(new TomlTableView(diagnostics, $"[[{name}]]", header, items));
            }
            else if (Tables.Contains(name))
            {
                diagnostics.Add(header, $"[[{name}]] is a single table; write [{name}]");
            }
            else if (Arrays.Contains(name))
            {
                diagnostics.Add(header, $"[{name}] can appear several times; write [[{name}]] (one per {name})");
            }
            else if (name.Split('.')[0] is var parent && AllNames.Contains(parent))
            {
                diagnostics.Add(table.Name, $"unknown table {(isArray ? $"[[{name}]]" : $"[{name}]")}: {Spell(parent)} has no sub-tables; put its keys directly under {Spell(parent)}");
            }
            else
            {
                var suggestion = KeySuggestion.Closest(name, AllNames);
                var hint = suggestion is null
                    ? $"allowed tables: {AllowedTables()}"
                    : $"did you mean {Spell(suggestion)}?";
                diagnostics.Add(table.Name, $"unknown table {(isArray ? $"[[{name}]]" : $"[{name}]")}; {hint}");
            }
        }

        return (tables, arrays);
    }

    private static void ReportDuplicateWatchNames(List<(WatchConfig Config, TextPosition NamePosition)> watches, ConfigDiagnosticBag diagnostics)
    {
        for (var i = 0; i < watches.Count; i++)
        {
            var (config, position) = watches[i];
            var first = watches.Take(i).FirstOrDefault(w => config.Name.Length > 0 && w.Config.Name == config.Name);
            if (first.Config is not null)
            {
                diagnostics.Add(position, $"duplicate watch name {TomlText.Quote(config.Name)}: the watch on line {first.NamePosition.Line + 1} already has it; watch names must be unique");
            }
        }
    }

    private static string Spell(string name) => Arrays.Contains(name) ? $"[[{name}]]" : $"[{name}]";

    private static string AllowedTables() => string.Join(", ", AllNames.Select(Spell));
}
