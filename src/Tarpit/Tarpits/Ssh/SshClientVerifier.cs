using System.Text;
using Tarpit.Config;

namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// Client verification for one SSH tarpit (<c>verify_client = true</c>), shared by its connections. A real client
/// speaks first (RFC 4253 §4.2; OpenSSH, paramiko, asyncssh, Go and libssh all do) and gets the configured mode, or
/// <c>kex-hold</c> when its identification string names a library that gives up on a long preamble; a silent one (a
/// null probe, <c>nmap -sV</c>) is shown the banner after the probe delay and held like <c>kex-hold</c>, so scanners
/// record a plain OpenSSH; any other line is answered as sshd answers it, then closed.
/// </summary>
internal sealed class SshClientVerifier
{
    /// <summary>The key under which the client's version line is observed.</summary>
    public const string ClientVersionKey = "ssh.client_version";

    /// <summary>
    /// Software versions (RFC 4253 §4.2 <c>softwareversion</c>, matched case-insensitively at its start) of client
    /// libraries that cap the preamble, so <c>endless-banner</c> loses them and <c>kex-hold</c> does not:
    /// Go's x/crypto/ssh ("Go") reads at most 255 bytes before the version in total ("overflow reading version
    /// string"); paramiko waits 2 s for each line after the first (<c>Transport._check_banner</c>) and reads 100;
    /// AsyncSSH ends the whole login after 120 s (<c>login_timeout</c>) and reads 1024 lines; libssh and libssh2
    /// (hydra, ncrack's peers, many bots) read one banner line of bounded size; JSch and SSH.NET (Renci) treat the
    /// first line as the banner.
    /// </summary>
    public static readonly IReadOnlyList<string> PreambleCappedClients = ["Go", "paramiko", "AsyncSSH", "libssh", "JSCH", "Renci.SshNet"];

    /// <summary>sshd's answer to a first line that is not an identification string (OpenSSH <c>kex_exchange_identification</c>), before it closes.</summary>
    public static readonly byte[] InvalidIdentification = "Invalid SSH identification string.\r\n"u8.ToArray();

    private static readonly byte[] VersionPrefix = Encoding.ASCII.GetBytes(TarpitSection.SshBannerPrefix);

    private static readonly byte[][] CappedClientNames = [.. PreambleCappedClients.Select(Encoding.ASCII.GetBytes)];

    public SshClientVerifier(TarpitConfig config, byte[] identificationLine, ISshHold speakerHold, ISshHold cappedHold, ISshHold silentHold)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(identificationLine);
        ProbeDelay = config.ProbeDelay;
        Jitter = config.Jitter;
        SpeakerHold = speakerHold;
        CappedHold = cappedHold;
        SilentHold = silentHold;
        GarbageAnswer = [.. identificationLine, .. InvalidIdentification];
    }

    public TimeSpan ProbeDelay { get; }

    public double Jitter { get; }

    /// <summary>The configured mode, for a client that sent its identification string.</summary>
    public ISshHold SpeakerHold { get; }

    /// <summary><c>kex-hold</c>, for a client whose identification string names one of <see cref="PreambleCappedClients"/>.</summary>
    public ISshHold CappedHold { get; }

    /// <summary><c>kex-hold</c>, for a client that stayed silent through the probe delay.</summary>
    public ISshHold SilentHold { get; }

    /// <summary>What sshd sends a client whose first line is not an identification string: its banner, then the error.</summary>
    public byte[] GarbageAnswer { get; }

    /// <summary>The hold for a client whose whole identification line (without CR LF) is <paramref name="line"/>.</summary>
    public ISshHold HoldFor(ReadOnlySpan<byte> line)
    {
        // SSH-protoversion-softwareversion: the software version starts after the second '-'.
        if (!line.StartsWith(VersionPrefix) && !line.StartsWith("SSH-1.99-"u8))
        {
            return SpeakerHold;
        }

        var software = line[(line.IndexOf((byte)'-') + 1)..];
        software = software[(software.IndexOf((byte)'-') + 1)..];
        foreach (var client in CappedClientNames)
        {
            // The name, then its end or a separator ("Go", "paramiko_2.12.0", "libssh2_1.10.0", "JSCH-0.1.54"), not "Gone_1.0".
            if (software.Length >= client.Length
                && Ascii.EqualsIgnoreCase(software[..client.Length], client)
                && (software.Length == client.Length || !char.IsAsciiLetter((char)software[client.Length])))
            {
                return CappedHold;
            }
        }

        return SpeakerHold;
    }
}
