using Tarpit.Config;

namespace Tarpit.Tests.Config;

/// <summary>Runs the loader on a TOML text that must be invalid and returns every diagnostic as rendered.</summary>
internal static class ConfigErrors
{
    public const string File = "tarpit.toml";

    public static IReadOnlyList<string> Of(string toml)
    {
        var exception = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(toml, File));
        Assert.NotEmpty(exception.Diagnostics);
        return [.. exception.Diagnostics.Select(d => d.ToString())];
    }

    public static string Single(string toml) => Assert.Single(Of(toml));
}
