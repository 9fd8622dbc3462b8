namespace Tarpit.Config;

/// <summary>
/// A secret read from <c>tarpit.toml</c> or from a file it names (<c>bouncer_key</c>, <c>machine_password</c>). Its
/// text is reached only through <see cref="Reveal"/>; <see cref="ToString"/> (and so every log template, record print
/// and <c>check</c> output) says where it came from, never what it is.
/// </summary>
internal sealed class ConfigSecret : IEquatable<ConfigSecret>
{
    private readonly string _value;

    public ConfigSecret(string value, string? file)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
        File = file;
    }

    /// <summary>The file it was read from, or null when written in <c>tarpit.toml</c> itself.</summary>
    public string? File { get; }

    /// <summary>The secret itself: only for the request that sends it.</summary>
    public string Reveal() => _value;

    public override string ToString() => File is null ? "(set in tarpit.toml, not shown)" : $"(read from {File}, not shown)";

    public bool Equals(ConfigSecret? other) => other is not null && _value == other._value && File == other.File;

    public override bool Equals(object? obj) => obj is ConfigSecret other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_value, File);
}
