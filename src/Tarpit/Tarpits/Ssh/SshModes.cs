using Tarpit.Config;

namespace Tarpit.Tarpits.Ssh;

/// <summary>The SSH modes, built once per <c>[[tarpit]]</c> with <c>protocol = "ssh"</c>, by <see cref="ModeCatalog"/> name.</summary>
internal static class SshModes
{
    public static IReadOnlyDictionary<string, Func<TarpitConfig, ITarpitMode>> Builders { get; } = new Dictionary<string, Func<TarpitConfig, ITarpitMode>>
    {
        // A silent or preamble-capped client verified by endless-banner is held by kex-hold with this tarpit's timing.
        [ModeCatalog.SshEndlessBanner] = config => new EndlessBanner(config, new KexHold(config with { VerifyClient = false }, Stream(config))),
        [ModeCatalog.SshKexHold] = config => new KexHold(config, Stream(config)),
    };

    /// <summary>The mode of one <c>[[tarpit]]</c> with <c>protocol = "ssh"</c>.</summary>
    public static ITarpitMode Create(TarpitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Builders[config.Mode](config);
    }

    /// <summary>The banner and the KEXINIT name-lists: the real sshd's when <c>banner = "auto"</c> read them, else the built-in profile.</summary>
    private static KexHoldStream Stream(TarpitConfig config) =>
        new(SshBanner.Line(config), KexInit.Payload(config.SshKexInitNameLists ?? KexInit.Debian12));
}
