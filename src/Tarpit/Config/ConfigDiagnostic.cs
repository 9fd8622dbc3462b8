namespace Tarpit.Config;

/// <summary>One problem in a config file, at a 1-based line and column.</summary>
internal sealed record ConfigDiagnostic(string File, int Line, int Column, string Message)
{
    /// <summary><c>tarpit.toml:12:9: error: message</c>, the shape compilers use so editors can jump to it.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: error: {Message}";
}
