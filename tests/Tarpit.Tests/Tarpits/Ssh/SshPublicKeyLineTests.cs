using System.Security.Cryptography;
using System.Text;
using Tarpit.Tarpits.Ssh;

namespace Tarpit.Tests.Tarpits.Ssh;

/// <summary>The OpenSSH public key line reader that <c>host_keys = "auto"</c> reads the real sshd's <c>.pub</c> files with.</summary>
public sealed class SshPublicKeyLineTests
{
    /// <summary>Made by <c>ssh-keygen -t ecdsa -b 256 -C root@example</c>.</summary>
    public const string EcdsaLine = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBDItoecRI2HY3PrfbFNCjM+M5JZs/inkECudqt0VzACItLW1UDpKffNmdSZxEm48FyiRHmvpRV1dbbGVBeMxRBc= root@example";

    /// <summary>Made by <c>ssh-keygen -t ed25519 -C root@example</c>.</summary>
    public const string Ed25519Line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJBUqtOzGNkTfNpcImWz4IbDhDCBrMkSe1TALyjTKPBO root@example";

    [Theory]
    [InlineData(EcdsaLine, "ecdsa-sha2-nistp256", 104)]
    [InlineData(Ed25519Line, "ssh-ed25519", 51)]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJBUqtOzGNkTfNpcImWz4IbDhDCBrMkSe1TALyjTKPBO", "ssh-ed25519", 51)]
    [InlineData("  ssh-ed25519\tAAAAC3NzaC1lZDI1NTE5AAAAIJBUqtOzGNkTfNpcImWz4IbDhDCBrMkSe1TALyjTKPBO  a comment with spaces \r", "ssh-ed25519", 51)]
    public void Lines_that_ssh_keygen_writes_are_read(string line, string algorithm, int blobLength)
    {
        var key = SshPublicKeyLine.Parse(line, out var problem);

        Assert.Equal(string.Empty, problem);
        Assert.NotNull(key);
        Assert.Equal(algorithm, key.Algorithm);
        Assert.Equal(blobLength, key.Blob.Length);
        Assert.Equal(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], Convert.ToBase64String(key.Blob));
    }

    [Fact]
    public void A_line_written_is_read_back_as_the_same_key()
    {
        var key = SshPublicKeyLine.Parse(EcdsaLine, out _)!;

        var again = SshPublicKeyLine.Parse(SshPublicKeyLine.Format(key, "c"), out _);

        Assert.Equal(key.Blob, again!.Blob);
    }

    [Theory]
    [InlineData("", "not a public key line (\"type base64 comment\")")]
    [InlineData("ssh-ed25519", "not a public key line (\"type base64 comment\")")]
    [InlineData("# ssh-ed25519 AAAA", "key type \"#\" is not ecdsa-sha2-nistp256 or ssh-ed25519")]
    [InlineData("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCqbTFRVymquLaNCMRLK0/G68BQSb6SEC+3QCpBVj5g5GqI1fquBbuRh32ZBDWS01l5S2AU7ULSATsj82iemF5/yl1i1ysnfwHx6hZAL817qIzCpzDVD4Faw1VxXgXVs7xirY4dfMmHVpPIABLQMGiL1okdQR/biZPkgIypfuQtSw== x", "key type \"ssh-rsa\" is not ecdsa-sha2-nistp256 or ssh-ed25519")]
    [InlineData("root:$y$j9T$abc:19000:0:99999:7::: x", "key type \"root:$y$j9T$abc:19000:0:99999:7:::\" is not ecdsa-sha2-nistp256 or ssh-ed25519")]
    [InlineData("\u001b[2Jssh-ed25519 AAAA", "key type \"\\x1b[2Jssh-ed25519\" is not ecdsa-sha2-nistp256 or ssh-ed25519")]
    [InlineData("ssh-ed25519 not*base64", "the ssh-ed25519 key is not valid base64")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJBUqtOzGNkTfNpcImWz4IbDhDCBrMkSe1TALyjTKPB", "the ssh-ed25519 key is not valid base64")]
    public void Junk_is_refused_with_what_is_wrong_and_never_the_key_or_more_than_the_type(string line, string expected)
    {
        Assert.Null(SshPublicKeyLine.Parse(line, out var problem));
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void A_key_type_quoted_in_a_problem_is_cut_at_40_characters()
    {
        Assert.Null(SshPublicKeyLine.Parse(new string('k', 100) + " AAAA", out var problem));
        Assert.Equal($"key type \"{new string('k', 40)}…\" is not ecdsa-sha2-nistp256 or ssh-ed25519", problem);
    }

    [Fact]
    public void An_Ed25519_line_whose_blob_says_ECDSA_is_refused()
    {
        var ecdsaBlob = SshPublicKeyLine.Parse(EcdsaLine, out _)!.Blob;

        Assert.Null(SshPublicKeyLine.Parse("ssh-ed25519 " + Convert.ToBase64String(ecdsaBlob), out var problem));
        Assert.Equal("the ssh-ed25519 key blob does not start with the string \"ssh-ed25519\"", problem);
    }

    [Fact]
    public void A_P384_key_labelled_P256_is_refused()
    {
        var p384 = Blob("ecdsa-sha2-nistp256", "nistp384"u8.ToArray(), [0x04, .. new byte[96]]);

        Assert.Null(SshPublicKeyLine.Parse("ecdsa-sha2-nistp256 " + Convert.ToBase64String(p384), out var problem));
        Assert.Equal("the ecdsa-sha2-nistp256 key blob does not name the curve \"nistp256\"", problem);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void An_Ed25519_key_of_other_than_32_bytes_is_refused(int length)
    {
        var blob = Blob("ssh-ed25519", new byte[length]);

        Assert.Null(SshPublicKeyLine.Parse("ssh-ed25519 " + Convert.ToBase64String(blob), out var problem));
        Assert.Equal("the ssh-ed25519 key blob has no key of 32 bytes", problem);
    }

    [Fact]
    public void A_truncated_blob_is_refused()
    {
        var blob = SshPublicKeyLine.Parse(Ed25519Line, out _)!.Blob;

        Assert.Null(SshPublicKeyLine.Parse("ssh-ed25519 " + Convert.ToBase64String(blob[..^1]), out var problem));
        Assert.Equal("the ssh-ed25519 key blob has no key of 32 bytes", problem);
        Assert.Null(SshPublicKeyLine.Parse("ssh-ed25519 " + Convert.ToBase64String(blob[..6]), out problem));
        Assert.Equal("the ssh-ed25519 key blob does not start with the string \"ssh-ed25519\"", problem);
    }

    [Fact]
    public void A_string_length_beyond_the_blob_is_refused()
    {
        var blob = SshPublicKeyLine.Parse(Ed25519Line, out _)!.Blob;
        blob[0] = 0xFF;

        Assert.Null(SshPublicKeyLine.Parse("ssh-ed25519 " + Convert.ToBase64String(blob), out var problem));
        Assert.Equal("the ssh-ed25519 key blob does not start with the string \"ssh-ed25519\"", problem);
    }

    [Fact]
    public void Bytes_after_the_key_are_refused()
    {
        var blob = SshPublicKeyLine.Parse(Ed25519Line, out _)!.Blob;

        Assert.Null(SshPublicKeyLine.Parse("ssh-ed25519 " + Convert.ToBase64String([.. blob, 0]), out var problem));
        Assert.Equal("the ssh-ed25519 key blob has 1 bytes after the key", problem);
    }

    [Fact]
    public void An_ECDSA_point_off_the_curve_is_refused()
    {
        var blob = SshPublicKeyLine.Parse(EcdsaLine, out _)!.Blob;
        blob[^1] ^= 1;

        Assert.Null(SshPublicKeyLine.Parse("ecdsa-sha2-nistp256 " + Convert.ToBase64String(blob), out var problem));
        Assert.Equal("the ecdsa-sha2-nistp256 key blob has no uncompressed point of 65 bytes on the curve", problem);
    }

    [Fact]
    public void A_compressed_ECDSA_point_is_refused()
    {
        var point = SshPublicKeyLine.Parse(EcdsaLine, out _)!.Blob[^65..];
        var compressed = Blob("ecdsa-sha2-nistp256", "nistp256"u8.ToArray(), [(byte)(0x02 | (point[^1] & 1)), .. point[1..33]]);

        Assert.Null(SshPublicKeyLine.Parse("ecdsa-sha2-nistp256 " + Convert.ToBase64String(compressed), out var problem));
        Assert.Equal("the ecdsa-sha2-nistp256 key blob has no uncompressed point of 65 bytes on the curve", problem);
    }

    [Fact]
    public void Base64_of_16384_characters_is_the_longest_read()
    {
        var longest = "ssh-ed25519 " + new string('A', SshPublicKeyLine.MaxFileBytes);

        Assert.Null(SshPublicKeyLine.Parse(longest, out var problem));
        Assert.Equal("the ssh-ed25519 key blob does not start with the string \"ssh-ed25519\"", problem);
        Assert.Null(SshPublicKeyLine.Parse(longest + "AAAA", out problem));
        Assert.Equal("the ssh-ed25519 key is longer than 16384 characters", problem);
    }

    [Fact]
    public void Made_P256_points_are_on_the_curve_for_OpenSSL_too()
    {
        for (var i = 0; i < 20; i++)
        {
            var point = P256Point.Random();

            Assert.True(P256Point.IsOnCurve(point));
            // The test process may load OpenSSL: it checks the point is on P-256 on import.
            using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
            Assert.Equal(256, ecdsa.KeySize);
        }
    }

    [Fact]
    public void Made_keys_differ_and_read_back_as_valid_lines()
    {
        var first = SshHostKeys.MakeEphemeral();
        var second = SshHostKeys.MakeEphemeral();

        foreach (var algorithm in SshHostKeys.Algorithms)
        {
            Assert.NotEqual(first.Blob(algorithm).ToArray(), second.Blob(algorithm).ToArray());
            var line = SshPublicKeyLine.Format(first.Key(algorithm), "c");
            Assert.Equal(first.Blob(algorithm).ToArray(), SshPublicKeyLine.Parse(line, out _)!.Blob);
        }
    }

    /// <summary>An SSH blob: the type string, then each field as a string (RFC 4251 §5).</summary>
    private static byte[] Blob(string type, params byte[][] fields)
    {
        using var blob = new MemoryStream();
        SshWire.WriteString(blob, Encoding.ASCII.GetBytes(type));
        foreach (var field in fields)
        {
            SshWire.WriteString(blob, field);
        }

        return blob.ToArray();
    }
}
