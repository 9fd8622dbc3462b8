using Tarpit.Config;

namespace Tarpit.Tarpits.Ssh;

/// <summary>The SSH modes, built once per <c>[[tarpit]]</c> with <c>protocol = "ssh"</c>.</summary>
internal static class SshModes
{
    public const string EndlessBanner = "endless-banner";

    public const string KexHold = "kex-hold";

    public static IReadOnlyList<string> Names { get; } = [EndlessBanner, KexHold];

    public static ITarpitMode Create(TarpitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var stream = new KexHoldStream(SshBanner.Line(config));
        return config.Mode switch
        {
            EndlessBanner => new EndlessBanner(config, new KexHold(config with { VerifyClient = false }, stream)),
            KexHold => new KexHold(config, stream),
            _ => throw new OperatorException(
                $"Tarpit '{config.Name}': mode \"{Text.AttackerText.Escape(config.Mode)}\" is not an SSH mode. "
                + $"Allowed for protocol = \"ssh\": {string.Join(", ", Names)}. Fix the mode in the [[tarpit]] table.",
                ExitCodes.Config),
        };
    }
}
