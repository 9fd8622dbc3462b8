namespace Tarpit.Config;

/// <summary>
/// The one registry of filter vocabulary: the built-in filters a <c>[[watch]]</c> (or <c>test-filter</c>) may name,
/// the default one, and the filter modes. Detection builds a filter for every name here (a test holds the two to each
/// other); any other <c>filter</c> value is the path of a fail2ban-style filter file.
/// </summary>
internal static class FilterNames
{
    public const string Sshd = "sshd";
    public const string HttpProbe = "http-probe";

    public const string NormalMode = "normal";
    public const string AggressiveMode = "aggressive";

    public const string Default = Sshd;

    public static IReadOnlyList<string> BuiltIn { get; } = [Sshd, HttpProbe];

    /// <summary>Allowed <c>mode</c> values, the first being the default.</summary>
    public static IReadOnlyList<string> Modes { get; } = [NormalMode, AggressiveMode];
}
