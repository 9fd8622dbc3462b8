using Tarpit.Config;

namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// <c>endless-banner</c> (endlessh): an endless RFC 4253 §4.2 preamble, one random line per jittered interval, so the
/// client waits forever for an identification string. Jitter matters: bots that give up at exactly twice a fixed
/// delay (endlessh issue #71) do not find the pattern.
/// </summary>
internal sealed class EndlessBanner : ITarpitMode, ISshHold
{
    private readonly ulong _secret = (ulong)Random.Shared.NextInt64();
    private readonly SshClientVerifier? _verifier;

    /// <param name="silentHold">Where verification puts a client that stays silent: <c>kex-hold</c> with this tarpit's timing.</param>
    public EndlessBanner(TarpitConfig config, ISshHold silentHold)
    {
        ArgumentNullException.ThrowIfNull(config);
        Interval = config.Interval;
        Jitter = config.Jitter;
        _verifier = config.VerifyClient ? new SshClientVerifier(config.ProbeDelay, config.Jitter, this, silentHold) : null;
    }

    public string Name => ModeCatalog.SshEndlessBanner;

    public TimeSpan Interval { get; }

    public double Jitter { get; }

    public ITarpitSession Open(in SessionOpen open)
    {
        var seed = SshNoise.Seed(_secret, open.ConnectionId);
        return _verifier is null ? Hold(seed) : new SshClientVerificationSession(_verifier, seed);
    }

    public ITarpitSession Hold(ulong seed) => new EndlessBannerSession(this, seed);
}
