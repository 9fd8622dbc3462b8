using Tarpit.Config;

namespace Tarpit.Bans;

/// <summary>The <c>--for</c> of a manual ban: a duration, <c>-1</c> or <c>permanent</c> (fail2ban's bantime -1), or nothing (escalate).</summary>
internal static class BanLength
{
    public const string Allowed = DurationSyntax.Allowed + "; or -1 / permanent for a ban that never expires";

    public static bool TryParse(string? text, out TimeSpan? duration, out bool permanent, out string error)
    {
        duration = null;
        permanent = false;
        error = "";
        if (text is null)
        {
            return true;
        }

        if (text is "-1" or "permanent")
        {
            permanent = true;
            return true;
        }

        if (text.Any(char.IsWhiteSpace) || !DurationSyntax.TryParse(text, out var value) || value <= TimeSpan.Zero)
        {
            error = $"--for '{Text.AttackerText.Escape(text, 64)}' is not a ban length: expected {Allowed}";
            return false;
        }

        duration = value;
        return true;
    }
}
