using Tomlyn.Syntax;

namespace Tarpit.Config;

/// <summary>The text of a TOML key as written, dotted parts joined: <c>agent</c>, <c>a.b</c>, <c>"log file"</c> → <c>log file</c>.</summary>
internal static class TomlKeys
{
    public static string Name(KeySyntax key)
    {
        var parts = new List<string> { Part(key.Key) };
        if (key.DotKeys is not null)
        {
            foreach (var dotted in key.DotKeys)
            {
                parts.Add(Part(dotted.Key));
            }
        }

        return string.Join('.', parts);
    }

    private static string Part(BareKeyOrStringValueSyntax? part) => part switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? string.Empty,
        StringValueSyntax quoted => quoted.Value ?? string.Empty,
        _ => string.Empty,
    };
}
