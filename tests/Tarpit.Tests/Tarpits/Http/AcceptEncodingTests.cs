using System.Text;
using Tarpit.Tarpits.Http;

namespace Tarpit.Tests.Tarpits.Http;

public sealed class AcceptEncodingTests
{
    [Theory]
    [InlineData("gzip, deflate, br", (int)(ContentCodings.Gzip | ContentCodings.Deflate))]
    [InlineData("deflate", (int)(ContentCodings.Deflate))]
    [InlineData("x-gzip;q=0.5", (int)(ContentCodings.Gzip))]
    [InlineData("gzip;q=0, deflate", (int)(ContentCodings.Deflate))]
    [InlineData("gzip; q=0.000, deflate;q=0.0", (int)(ContentCodings.None))]
    [InlineData("gzip;q=0.001", (int)(ContentCodings.Gzip))]
    [InlineData("*", (int)(ContentCodings.Gzip | ContentCodings.Deflate))]
    [InlineData("br, zstd", (int)(ContentCodings.None))]
    [InlineData("identity", (int)(ContentCodings.None))]
    [InlineData("", (int)(ContentCodings.None))]
    [InlineData(";;,,q=", (int)(ContentCodings.None))]
    public void Codings_with_non_zero_weight_are_accepted(string header, int expected)
    {
        Assert.Equal((ContentCodings)expected, AcceptEncoding.Parse(Encoding.ASCII.GetBytes(header)));
    }
}
