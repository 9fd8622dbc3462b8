using System.Globalization;
using System.Numerics;

namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// Public points of NIST P-256 (SEC 2 v2 §2.4.2: <c>y² = x³ − 3x + b</c> over the prime <c>p</c>) in plain integer
/// arithmetic, so that neither checking a host key read from a file nor making one loads OpenSSL (.NET's ECDsa does on
/// Linux: +4.4 MiB of idle RSS, docs/BENCHMARKS.md). P-256's cofactor is 1, so every point on the curve (but the point
/// at infinity, which the uncompressed form cannot name) is a valid public key (SEC 1 v2 §3.2.2.1). A made point is a
/// random <c>x</c> with a <c>y</c> that fits; nobody knows its private key, which a key whose signatures no one can
/// check (<see cref="KexDhReply"/>) does not need.
/// </summary>
internal static class P256Point
{
    /// <summary>SEC 2 v2 §2.4.2: each coordinate of a P-256 point is 256 bits.</summary>
    public const int CoordinateBytes = 32;

    /// <summary>SEC 1 v2 §2.3.3 (RFC 5656 §3.1's <c>Q</c>): <c>0x04 || X || Y</c>.</summary>
    public const int UncompressedBytes = 1 + (2 * CoordinateBytes);

    /// <summary>SEC 1 v2 §2.3.3: the first byte of an uncompressed point.</summary>
    private const byte Uncompressed = 0x04;

    private static readonly BigInteger P = Hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");

    private static readonly BigInteger B = Hex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");

    /// <summary>True when <paramref name="point"/> is an uncompressed point on P-256 with both coordinates below p.</summary>
    public static bool IsOnCurve(ReadOnlySpan<byte> point)
    {
        if (point.Length != UncompressedBytes || point[0] != Uncompressed)
        {
            return false;
        }

        var x = new BigInteger(point.Slice(1, CoordinateBytes), isUnsigned: true, isBigEndian: true);
        var y = new BigInteger(point.Slice(1 + CoordinateBytes, CoordinateBytes), isUnsigned: true, isBigEndian: true);
        return x < P && y < P && y * y % P == RightSide(x);
    }

    /// <summary>A random point on P-256, uncompressed. Half of all x have a point (p ≡ 3 mod 4: y = rhs^((p+1)/4)).</summary>
    public static byte[] Random()
    {
        Span<byte> bytes = stackalloc byte[CoordinateBytes + 1];
        while (true)
        {
            Linux.OsRandom.Fill(bytes);
            var x = new BigInteger(bytes[..CoordinateBytes], isUnsigned: true, isBigEndian: true);
            if (x >= P)
            {
                continue;
            }

            var rhs = RightSide(x);
            var y = BigInteger.ModPow(rhs, (P + 1) / 4, P);
            if (y.IsZero || y * y % P != rhs)
            {
                continue;
            }

            // Either root is as likely as the other, as for a real key.
            if ((bytes[CoordinateBytes] & 1) == 1)
            {
                y = P - y;
            }

            var point = new byte[UncompressedBytes];
            point[0] = Uncompressed;
            x.TryWriteBytes(point.AsSpan(1, CoordinateBytes), out var xLength, isUnsigned: true, isBigEndian: true);
            y.TryWriteBytes(point.AsSpan(1 + CoordinateBytes, CoordinateBytes), out var yLength, isUnsigned: true, isBigEndian: true);
            // Right-align a coordinate whose leading bytes are zero.
            Align(point.AsSpan(1, CoordinateBytes), xLength);
            Align(point.AsSpan(1 + CoordinateBytes, CoordinateBytes), yLength);
            return point;
        }
    }

    private static void Align(Span<byte> coordinate, int written)
    {
        if (written < coordinate.Length)
        {
            coordinate[..written].CopyTo(coordinate[(coordinate.Length - written)..]);
            coordinate[..(coordinate.Length - written)].Clear();
        }
    }

    private static BigInteger RightSide(BigInteger x) => (((x * x * x) - (3 * x) + B) % P + P) % P;

    private static BigInteger Hex(string digits) => BigInteger.Parse("0" + digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
