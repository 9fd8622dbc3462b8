namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// Client verification for one SSH tarpit (<c>verify_client = true</c>), shared by its connections. A real client
/// speaks first (RFC 4253 §4.2; OpenSSH does) and gets the configured mode; a silent one (a null probe, <c>nmap -sV</c>)
/// is shown the banner after the probe delay and held like <c>kex-hold</c>, so scanners record a plain OpenSSH;
/// anything else is closed after a short random delay.
/// </summary>
internal sealed class SshClientVerifier(TimeSpan probeDelay, double jitter, ISshHold speakerHold, ISshHold silentHold)
{
    /// <summary>Garbage is closed after a random delay in [0.5 s, 3 s): not at once, so it looks like a slow server.</summary>
    public static readonly TimeSpan GarbageCloseMin = TimeSpan.FromMilliseconds(500);

    public static readonly TimeSpan GarbageCloseMax = TimeSpan.FromSeconds(3);

    /// <summary>The key under which the client's version line is observed.</summary>
    public const string ClientVersionKey = "ssh.client_version";

    public TimeSpan ProbeDelay { get; } = probeDelay;

    public double Jitter { get; } = jitter;

    /// <summary>The configured mode, for a client that sent its identification string.</summary>
    public ISshHold SpeakerHold { get; } = speakerHold;

    /// <summary><c>kex-hold</c>, for a client that stayed silent through the probe delay.</summary>
    public ISshHold SilentHold { get; } = silentHold;

    public static TimeSpan GarbageCloseDelay(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return GarbageCloseMin + ((GarbageCloseMax - GarbageCloseMin) * random.NextDouble());
    }

}
