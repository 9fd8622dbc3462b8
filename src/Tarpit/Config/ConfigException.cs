namespace Tarpit.Config;

/// <summary>The config is invalid: every problem found, at once. An operator error, not a bug.</summary>
internal sealed class ConfigException : Exception
{
    /// <summary>EX_CONFIG from sysexits.h; systemd's <c>RestartPreventExitStatus=78</c> keeps a bad config from restart-looping.</summary>
    public const int ExitCode = 78;

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
