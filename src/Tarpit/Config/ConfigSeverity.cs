namespace Tarpit.Config;

/// <summary>How serious a <see cref="ConfigDiagnostic"/> is.</summary>
internal enum ConfigSeverity
{
    /// <summary>The config is invalid: the agent does not start and <c>check</c> exits 78.</summary>
    Error,

    /// <summary>The config is valid but was read differently from how it is written (an IPv4-mapped allowlist entry kept as IPv4).</summary>
    Note,
}
