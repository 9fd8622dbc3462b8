using Tomlyn.Syntax;

namespace Tarpit.Config;

/// <summary>
/// Collects every problem found in one config file. The only place where Tomlyn's 0-based positions become the
/// 1-based line and column that editors and <see cref="ConfigDiagnostic"/> use.
/// </summary>
internal sealed class ConfigDiagnosticBag(string file)
{
    private readonly List<ConfigDiagnostic> _diagnostics = [];

    private readonly List<ConfigDiagnostic> _notes = [];

    /// <summary>The config path as the user gave it.</summary>
    public string File { get; } = file;

    public IReadOnlyList<ConfigDiagnostic> Diagnostics => _diagnostics;

    public bool HasErrors => _diagnostics.Count > 0;

    /// <summary>Notes on a valid config, in file order: what was read differently from how it is written.</summary>
    public IReadOnlyList<ConfigDiagnostic> Notes => [.. _notes.OrderBy(d => d.Line).ThenBy(d => d.Column)];

    public void Add(TextPosition position, string message) =>
        _diagnostics.Add(new ConfigDiagnostic(File, Math.Max(position.Line, 0) + 1, Math.Max(position.Column, 0) + 1, message));

    public void Add(SyntaxNode node, string message) => Add(node.Span.Start, message);

    /// <summary>A note, not an error: the config stays valid, <c>check</c> prints it.</summary>
    public void AddNote(SyntaxNode node, string message) =>
        _notes.Add(new ConfigDiagnostic(File, Math.Max(node.Span.Start.Line, 0) + 1, Math.Max(node.Span.Start.Column, 0) + 1, message, ConfigSeverity.Note));

    /// <summary>A problem with the file as a whole (missing, unreadable), reported at 1:1, as the exception to throw.</summary>
    public static ConfigException FileLevel(string file, string message) => new([new ConfigDiagnostic(file, 1, 1, message)]);

    public void ThrowIfAny()
    {
        if (HasErrors)
        {
            throw new ConfigException(
                [.. _diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column)]);
        }
    }
}
