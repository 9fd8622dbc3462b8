namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// The public host keys a tarpit shows a client that completes the first half of a finite-field Diffie-Hellman key
/// exchange (<see cref="KexDhReply"/>): an ECDSA P-256 key (RFC 5656 §3.1) and an Ed25519 key (RFC 8709 §4). They are
/// the real sshd's (<c>host_keys = "auto"</c> reads its <c>.pub</c> files), else the agent's own, made once and kept
/// in the state dir (<c>Tarpits/Engine/HostKeyFiles</c>), so every scan and every restart sees the same fingerprints,
/// as of a real server. No private key is ever read or kept: the signature of the reply is random. Made keys need no
/// OpenSSL: the Ed25519 key is 32 random bytes (which no one can tell from a key without a signature to check) and the
/// ECDSA key a random point of the curve (<see cref="P256Point"/>). RSA is not offered: nmap's <c>ssh-hostkey</c> asks
/// for <c>ssh-rsa</c>, which Debian 12's sshd does not list, so it reports no RSA key from the real server either.
/// </summary>
internal sealed class SshHostKeys
{
    public const string EcdsaP256 = "ecdsa-sha2-nistp256";

    public const string Ed25519 = "ssh-ed25519";

    /// <summary>The algorithms, in the order the files are read and the keys written.</summary>
    public static readonly IReadOnlyList<string> Algorithms = [EcdsaP256, Ed25519];

    private readonly SshPublicKey _ecdsa;
    private readonly SshPublicKey _ed25519;

    public SshHostKeys(SshPublicKey ecdsa, SshPublicKey ed25519)
    {
        ArgumentNullException.ThrowIfNull(ecdsa);
        ArgumentNullException.ThrowIfNull(ed25519);
        ArgumentOutOfRangeException.ThrowIfNotEqual(ecdsa.Algorithm, EcdsaP256);
        ArgumentOutOfRangeException.ThrowIfNotEqual(ed25519.Algorithm, Ed25519);
        _ecdsa = ecdsa;
        _ed25519 = ed25519;
    }

    /// <summary>True for the host key algorithms a blob is kept for.</summary>
    public static bool Has(string algorithm) => algorithm is EcdsaP256 or Ed25519;

    /// <summary>A new random key of <paramref name="algorithm"/> (one of <see cref="Has"/>).</summary>
    public static SshPublicKey Make(string algorithm)
    {
        using var blob = new MemoryStream();
        SshWire.WriteString(blob, algorithm);
        switch (algorithm)
        {
            case EcdsaP256:
                SshWire.WriteString(blob, SshPublicKeyLine.P256Identifier);
                SshWire.WriteString(blob, P256Point.Random());
                break;
            case Ed25519:
                var key = new byte[SshPublicKeyLine.Ed25519KeyBytes];
                Linux.OsRandom.Fill(key);
                SshWire.WriteString(blob, key);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "no host key of this algorithm");
        }

        return new SshPublicKey(algorithm, blob.ToArray());
    }

    /// <summary>Keys made for this process only (a config built in code, which names no state dir).</summary>
    public static SshHostKeys MakeEphemeral() => new(Make(EcdsaP256), Make(Ed25519));

    /// <summary>The key of <paramref name="algorithm"/> (one of <see cref="Has"/>).</summary>
    public SshPublicKey Key(string algorithm) => algorithm switch
    {
        EcdsaP256 => _ecdsa,
        Ed25519 => _ed25519,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "no host key of this algorithm"),
    };

    /// <summary>The public key blob K_S (RFC 4253 §6.6) for <paramref name="algorithm"/> (one of <see cref="Has"/>).</summary>
    public ReadOnlySpan<byte> Blob(string algorithm) => Key(algorithm).Blob;
}
