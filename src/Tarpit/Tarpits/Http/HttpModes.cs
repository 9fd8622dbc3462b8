using Tarpit.Config;

namespace Tarpit.Tarpits.Http;

/// <summary>The HTTP mode registry: <c>protocol = "http"</c>, <c>mode = endless-header | drip | gzip-bomb | deflate-bomb | fake-auth</c>.</summary>
internal static class HttpModes
{
    public static readonly IReadOnlyList<string> Names = ["endless-header", "drip", "gzip-bomb", "deflate-bomb", "fake-auth"];

    public static ITarpitMode Create(TarpitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = config.Http ?? throw new OperatorException(
            $"Tarpit '{config.Name}': protocol \"http\" needs its HTTP options (content_length, bomb_size, realm); " +
            "the config loader fills them with defaults, so this is a bug in how the tarpit was built.", ExitCodes.Config);
        RequireHeaderText(config, "banner", config.Banner);
        RequireHeaderText(config, "realm", options.Realm);
        var tarpit = new HttpTarpit(config, options, Random.Shared);
        return config.Mode switch
        {
            "endless-header" => new EndlessHeader(tarpit),
            "drip" => new Drip(tarpit),
            "gzip-bomb" => new CompressionBombMode(tarpit, BombEncoding.Gzip),
            "deflate-bomb" => new CompressionBombMode(tarpit, BombEncoding.Deflate),
            "fake-auth" => new FakeAuth(tarpit),
            _ => throw new OperatorException(
                $"Tarpit '{config.Name}': mode \"{config.Mode}\" is not an HTTP tarpit mode. " +
                $"Allowed: {string.Join(", ", Names)}. Set mode to one of them in its [[tarpit]] table.", ExitCodes.Config),
        };
    }

    /// <summary>Banner and realm go into header lines verbatim: printable ASCII only, and no quote or backslash in a quoted realm.</summary>
    private static void RequireHeaderText(TarpitConfig config, string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        foreach (var c in value)
        {
            if (c is < ' ' or > '~' || (key == "realm" && c is '"' or '\\'))
            {
                throw new OperatorException(
                    $"Tarpit '{config.Name}': {key} \"{Text.AttackerText.Escape(value)}\" contains '{Text.AttackerText.Escape(c.ToString())}', " +
                    "which cannot go into an HTTP header. Use printable ASCII" + (key == "realm" ? " without quotes or backslashes." : "."), ExitCodes.Config);
            }
        }
    }
}
