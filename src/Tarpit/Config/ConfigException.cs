namespace Tarpit.Config;

/// <summary>The config is invalid: every problem found, at once. An operator error, not a bug: exit <see cref="ExitCodes.Config"/>.</summary>
internal sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<ConfigDiagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics))
    {
        Diagnostics = diagnostics;
    }

    public ConfigException()
        : this([])
    {
    }

    public ConfigException(string message)
        : base(message)
    {
        Diagnostics = [];
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Diagnostics = [];
    }

    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; } = [];
}
