using System.Security.Cryptography;

namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// The public host keys a tarpit shows a client that completes the first half of a finite-field Diffie-Hellman key
/// exchange (<see cref="KexDhReply"/>), made once per tarpit so every scan of it sees the same fingerprints, as of a
/// real server: an ECDSA P-256 key (a real point, RFC 5656 §3.1) and an Ed25519 key (RFC 8709 §4: 32 bytes; .NET has no
/// Ed25519, so these are random bytes, which no one can tell from a key without a signature to check). RSA is not
/// offered: nmap's <c>ssh-hostkey</c> asks for <c>ssh-rsa</c>, which Debian 12's sshd does not list, so it reports no
/// RSA key from the real server either.
/// </summary>
internal sealed class SshHostKeys
{
    public const string EcdsaP256 = "ecdsa-sha2-nistp256";

    public const string Ed25519 = "ssh-ed25519";

    private readonly byte[] _ecdsa;
    private readonly byte[] _ed25519;

    public SshHostKeys()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var point = ecdsa.ExportParameters(includePrivateParameters: false).Q;
        using var ecdsaBlob = new MemoryStream();
        SshWire.WriteString(ecdsaBlob, EcdsaP256);
        SshWire.WriteString(ecdsaBlob, "nistp256");
        SshWire.WriteString(ecdsaBlob, [0x04, .. point.X!, .. point.Y!]);
        _ecdsa = ecdsaBlob.ToArray();

        using var edBlob = new MemoryStream();
        SshWire.WriteString(edBlob, Ed25519);
        SshWire.WriteString(edBlob, RandomNumberGenerator.GetBytes(32));
        _ed25519 = edBlob.ToArray();
    }

    /// <summary>True for the host key algorithms a blob is kept for.</summary>
    public static bool Has(string algorithm) => algorithm is EcdsaP256 or Ed25519;

    /// <summary>The public key blob K_S (RFC 4253 §6.6) for <paramref name="algorithm"/> (one of <see cref="Has"/>).</summary>
    public ReadOnlySpan<byte> Blob(string algorithm) => algorithm switch
    {
        EcdsaP256 => _ecdsa,
        Ed25519 => _ed25519,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "no host key of this algorithm"),
    };
}
