namespace Tarpit.Net;

/// <summary>
/// How an error sentence from <see cref="NetworkText"/> writes the text it found and the fix it suggests, in the syntax
/// of where the reader will write it: config quotes both as TOML strings; the command line quotes (and escapes) what it
/// was given and writes the fix as one would type it.
/// </summary>
/// <param name="Found">Shows the text as given, which may be hostile: the caller escapes and truncates.</param>
/// <param name="Fix">Shows a suggestion the parser made (always a plain address or network).</param>
internal sealed record NetworkTextStyle(Func<string, string> Found, Func<string, string> Fix)
{
    /// <summary>For texts written in our own code (defaults, constants): no escaping needed.</summary>
    public static NetworkTextStyle Literal { get; } = new(text => $"'{text}'", text => text);
}
