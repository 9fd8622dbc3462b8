using System.Text;
using Tarpit.Config;

namespace Tarpit.Tarpits.Ssh;

/// <summary>The identification line a tarpit shows (RFC 4253 §4.2), checked once at start.</summary>
internal static class SshBanner
{
    /// <summary>What a stock Debian 12 server says; used when the config sets no <c>banner</c>.</summary>
    public const string Default = ModeCatalog.DefaultSshBanner;

    /// <summary>RFC 4253 §4.2: at most 255 characters including CR LF.</summary>
    public const int MaxLength = 255 - 2;

    /// <summary>RFC 4253 §4.2: <c>SSH-protoversion-softwareversion</c> with protoversion "2.0".</summary>
    public const string RequiredPrefix = "SSH-2.0-";

    /// <summary>The banner with CR LF, or an operator error naming the tarpit, the value and what is allowed.</summary>
    public static byte[] Line(TarpitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var banner = config.Banner ?? Default;
        var printable = banner.All(c => c is >= ' ' and <= '~');
        if (!banner.StartsWith(RequiredPrefix, StringComparison.Ordinal) || banner.Length > MaxLength || !printable)
        {
            throw new OperatorException(
                $"Tarpit '{config.Name}': banner \"{Text.AttackerText.Escape(banner)}\" is not an SSH identification string. "
                + $"It must start with \"{RequiredPrefix}\", be printable ASCII and at most {MaxLength} characters (RFC 4253 §4.2). "
                + $"Fix the banner in the [[tarpit]] table, e.g. banner = \"{Default}\".",
                ExitCodes.Config);
        }

        return Encoding.ASCII.GetBytes(banner + "\r\n");
    }
}
