using Tarpit.Config;

namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// <c>kex-hold</c>: the identification line and the whole SERVER KEXINIT at once, like sshd, then the server's key
/// exchange reply <c>drip_bytes</c> per jittered interval, never finished (<see cref="KexHoldStream"/>). Key exchange
/// never completes, and a real client has no error to report: it is waiting for the rest of the reply. A client that
/// negotiates a fixed finite-field group (nmap's <c>ssh-hostkey</c>) gets the whole reply at once instead, as from sshd
/// (<see cref="KexDhReply"/>), and is then held waiting for NEWKEYS.
/// </summary>
internal sealed class KexHold : ITarpitMode, ISshHold
{
    private readonly ulong _secret = (ulong)Random.Shared.NextInt64();
    private readonly SshClientVerifier? _verifier;
    private readonly Lazy<SshHostKeys> _hostKeys;

    public KexHold(TarpitConfig config, KexHoldStream stream)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(config.DripBytes);
        Stream = stream;
        Interval = config.Interval;
        Jitter = config.Jitter;
        DripBytes = config.DripBytes;
        var lists = config.SshKexInitNameLists ?? KexInit.Debian12;
        ServerKex = lists[0].Split(',');
        ServerHostKeys = lists[1].Split(',');
        var blobs = config.SshHostKeyBlobs;
        _hostKeys = new(() => blobs is null
            ? SshHostKeys.MakeEphemeral()
            : new SshHostKeys(new(SshHostKeys.EcdsaP256, blobs[SshHostKeys.EcdsaP256]), new(SshHostKeys.Ed25519, blobs[SshHostKeys.Ed25519])));
        _verifier = config.VerifyClient ? new SshClientVerifier(config, stream.IdentificationLine, this, this, this) : null;
    }

    public string Name => ModeCatalog.SshKexHold;

    public KexHoldStream Stream { get; }

    public TimeSpan Interval { get; }

    public double Jitter { get; }

    public int DripBytes { get; }

    /// <summary>The kex and host key algorithms of the KEXINIT this tarpit sends, for negotiation (RFC 4253 §7.1).</summary>
    public IReadOnlyList<string> ServerKex { get; }

    public IReadOnlyList<string> ServerHostKeys { get; }

    /// <summary>
    /// The host keys a client negotiating a fixed finite-field group is shown (<see cref="KexDhReply"/>): those resolved
    /// at start (<see cref="TarpitConfig.SshHostKeyBlobs"/>: the real sshd's or the agent's own, kept in the state dir),
    /// else (a config built in code) keys made on the first such client for this process only. Neither loads OpenSSL
    /// (+4.4 MiB of idle RSS when .NET's ECDsa made them, measured).
    /// </summary>
    public SshHostKeys HostKeys => _hostKeys.Value;

    public ITarpitSession Open(in SessionOpen open) => _verifier is null ? Hold(open.ConnectionId) : new SshClientVerificationSession(_verifier);

    public ITarpitSession Hold(long connectionId) => new KexHoldSession(this, SshNoise.Seed(_secret, connectionId));
}
