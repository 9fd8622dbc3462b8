using Tomlyn.Syntax;

namespace Tarpit.Config;

/// <summary>
/// The keys of one TOML table (the top level, a <c>[table]</c> or one <c>[[array]]</c> element) with their positions.
/// Readers take the keys they know; whatever is left over is reported as unknown.
/// </summary>
internal sealed partial class TomlTableView
{
    private readonly Dictionary<string, KeyValueSyntax> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    public TomlTableView(ConfigDiagnosticBag diagnostics, string displayName, TextPosition header, IEnumerable<KeyValueSyntax> items)
    {
        Diagnostics = diagnostics;
        DisplayName = displayName;
        Header = header;
        foreach (var item in items)
        {
            if (item.Key is null)
            {
                continue;
            }

            var name = TomlKeys.Name(item.Key);
            if (_entries.TryGetValue(name, out var first))
            {
                diagnostics.Add(item.Key, $"duplicate key '{name}' in {displayName}: it is already set on line {first.Span.Start.Line + 1}; keep one of them");
                continue;
            }

            _entries.Add(name, item);
            _order.Add(name);
        }
    }

    public ConfigDiagnosticBag Diagnostics { get; }

    /// <summary>How messages name this table: <c>[agent]</c>, <c>[[tarpit]]</c>.</summary>
    public string DisplayName { get; }

    /// <summary>Where the table header is: missing required keys are reported here.</summary>
    public TextPosition Header { get; }

    public bool Has(string key) => _entries.ContainsKey(key);

    /// <summary>The value of <paramref name="key"/> (marked as known), or null when absent.</summary>
    public ValueSyntax? Take(string key)
    {
        _taken.Add(key);
        return _entries.TryGetValue(key, out var entry) ? entry.Value : null;
    }

    /// <summary>Where <paramref name="key"/> is written, for problems with the key itself.</summary>
    public TextPosition KeyPosition(string key) =>
        _entries.TryGetValue(key, out var entry) && entry.Key is not null ? entry.Key.Span.Start : Header;

    public void ReportMissing(string key, string example) =>
        Diagnostics.Add(Header, $"{DisplayName} is missing the required key '{key}'; add it, e.g. {key} = {example}");

    /// <summary>Reports every key nobody took, with a suggestion when it looks like a typo of an allowed one.</summary>
    public void ReportUnknownKeys(IReadOnlyCollection<string> allowed)
    {
        foreach (var name in _order.Where(n => !_taken.Contains(n)))
        {
            var suggestion = KeySuggestion.Closest(name, allowed);
            var hint = suggestion is not null
                ? $"did you mean '{suggestion}'?"
                : $"allowed keys: {string.Join(", ", allowed)}";
            Diagnostics.Add(_entries[name].Key!, $"unknown key '{name}' in {DisplayName}; {hint}");
        }
    }
}
