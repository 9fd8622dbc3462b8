using System.Buffers.Binary;
using System.Text;
using Tarpit.Text;

namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// OpenSSH's public key line, as <c>ssh-keygen</c> writes <c>/etc/ssh/ssh_host_*_key.pub</c> (sshd(8), "AUTHORIZED_KEYS
/// FILE FORMAT", without options): <c>keytype base64-blob [comment]</c>. Only the two host key algorithms the tarpit
/// shows are accepted (<see cref="SshHostKeys"/>), and the blob is checked the way a client would read it: its type
/// string equals the line's, its fields have their exact lengths, an ECDSA point is on the curve, nothing trails.
/// A problem quotes at most the key type, escaped: never a key's base64 or the comment.
/// </summary>
internal static class SshPublicKeyLine
{
    /// <summary>
    /// The longest public key file read: OpenSSH's own bound (<c>sshkey.h</c>: <c>SSH_MAX_PUBKEY_BYTES</c> 16384, the
    /// most <c>sshkey_load_public</c> reads). A P-256 or Ed25519 line is under 200 bytes and a comment.
    /// </summary>
    public const int MaxFileBytes = 16384;

    /// <summary>RFC 8709 §4: an Ed25519 public key is 32 bytes.</summary>
    public const int Ed25519KeyBytes = 32;

    /// <summary>RFC 5656 §6.1: the curve identifier inside an <c>ecdsa-sha2-nistp256</c> blob.</summary>
    public const string P256Identifier = "nistp256";

    /// <summary>How many characters of an unexpected key type a problem quotes.</summary>
    private const int MaxQuotedType = 40;

    /// <summary>The key on <paramref name="line"/>, or null and why not in <paramref name="problem"/>.</summary>
    public static SshPublicKey? Parse(string line, out string problem)
    {
        ArgumentNullException.ThrowIfNull(line);
        problem = string.Empty;
        var fields = line.Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length < 2)
        {
            problem = "not a public key line (\"type base64 comment\")";
            return null;
        }

        var type = fields[0];
        if (!SshHostKeys.Has(type))
        {
            problem = $"key type \"{AttackerText.Escape(type, MaxQuotedType)}\" is not {SshHostKeys.EcdsaP256} or {SshHostKeys.Ed25519}";
            return null;
        }

        var base64 = fields[1];
        if (base64.Length > MaxFileBytes)
        {
            problem = $"the {type} key is longer than {MaxFileBytes} characters";
            return null;
        }

        var blob = new byte[(base64.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64String(base64, blob, out var length))
        {
            problem = $"the {type} key is not valid base64";
            return null;
        }

        blob = blob[..length];
        if (BlobProblem(type, blob) is { } bad)
        {
            problem = $"the {type} key blob {bad}";
            return null;
        }

        return new SshPublicKey(type, blob);
    }

    /// <summary>The line <c>ssh-keygen</c> would write for <paramref name="key"/>.</summary>
    public static string Format(SshPublicKey key, string comment)
    {
        ArgumentNullException.ThrowIfNull(key);
        return $"{key.Algorithm} {Convert.ToBase64String(key.Blob)} {comment}";
    }

    /// <summary>Why <paramref name="blob"/> is not a public key of <paramref name="type"/> (RFC 5656 §3.1, RFC 8709 §4), or null.</summary>
    private static string? BlobProblem(string type, ReadOnlySpan<byte> blob)
    {
        if (!TryReadString(ref blob, out var inner) || !inner.SequenceEqual(Encoding.ASCII.GetBytes(type)))
        {
            return $"does not start with the string \"{type}\"";
        }

        if (type == SshHostKeys.EcdsaP256)
        {
            if (!TryReadString(ref blob, out var curve) || !curve.SequenceEqual(Encoding.ASCII.GetBytes(P256Identifier)))
            {
                return $"does not name the curve \"{P256Identifier}\"";
            }

            if (!TryReadString(ref blob, out var point) || !P256Point.IsOnCurve(point))
            {
                return $"has no uncompressed point of {P256Point.UncompressedBytes} bytes on the curve";
            }
        }
        else if (!TryReadString(ref blob, out var key) || key.Length != Ed25519KeyBytes)
        {
            return $"has no key of {Ed25519KeyBytes} bytes";
        }

        return blob.IsEmpty ? null : $"has {blob.Length} bytes after the key";
    }

    /// <summary>RFC 4251 §5 <c>string</c>: a uint32 length, then that many bytes, all within <paramref name="data"/>.</summary>
    private static bool TryReadString(ref ReadOnlySpan<byte> data, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (data.Length < sizeof(uint))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (length > (uint)(data.Length - sizeof(uint)))
        {
            return false;
        }

        value = data.Slice(sizeof(uint), (int)length);
        data = data[(sizeof(uint) + (int)length)..];
        return true;
    }
}
