namespace Tarpit.Config;

/// <summary>One problem (or note) in a config file, at a 1-based line and column.</summary>
internal sealed record ConfigDiagnostic(string File, int Line, int Column, string Message, ConfigSeverity Severity = ConfigSeverity.Error)
{
    /// <summary><c>tarpit.toml:12:9: error: message</c> (or <c>note:</c>), the shape compilers use so editors can jump to it.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {(Severity == ConfigSeverity.Note ? "note" : "error")}: {Message}";
}
