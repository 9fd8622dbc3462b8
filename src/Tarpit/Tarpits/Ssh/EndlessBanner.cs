using Tarpit.Config;

namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// <c>endless-banner</c> (endlessh): an endless RFC 4253 §4.2 preamble, one short random line per jittered interval
/// (the first after one interval, as endlessh), so the client waits forever for an identification string. Jitter
/// matters: bots that give up at exactly twice a fixed delay (endlessh issue #71) do not find the pattern. The server
/// says nothing for an interval where sshd answers at once: that is the point (the client is held from its first
/// second), and a scanner's silent probe is sent to <c>kex-hold</c> by verification after the probe delay instead.
/// </summary>
internal sealed class EndlessBanner : ITarpitMode, ISshHold
{
    private readonly ulong _secret = (ulong)Random.Shared.NextInt64();
    private readonly SshClientVerifier? _verifier;
    private readonly EndlessBannerSession _hold;

    /// <param name="kexHold">
    /// Where verification puts a client that stays silent or names a library that gives up on a preamble
    /// (<see cref="SshClientVerifier.PreambleCappedClients"/>): <c>kex-hold</c> with this tarpit's timing.
    /// </param>
    public EndlessBanner(TarpitConfig config, KexHold kexHold)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(kexHold);
        Interval = config.Interval;
        Jitter = config.Jitter;
        _hold = new EndlessBannerSession(this);
        _verifier = config.VerifyClient ? new SshClientVerifier(config, kexHold.Stream.IdentificationLine, this, kexHold, kexHold) : null;
    }

    public string Name => ModeCatalog.SshEndlessBanner;

    public TimeSpan Interval { get; }

    public double Jitter { get; }

    public ITarpitSession Open(in SessionOpen open) => _verifier is null ? Hold(open.ConnectionId) : new SshClientVerificationSession(_verifier);

    /// <summary>The one session of this mode: a connection's state is in its slot (<see cref="EndlessBannerSession"/>).</summary>
    public ITarpitSession Hold(long connectionId) => _hold;

    /// <summary>The seed of a connection's lines.</summary>
    public ulong SeedOf(long connectionId) => SshNoise.Seed(_secret, connectionId);
}
