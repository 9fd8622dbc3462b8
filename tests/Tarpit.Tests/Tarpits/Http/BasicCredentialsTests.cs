using System.Text;
using Tarpit.Tarpits.Http;

namespace Tarpit.Tests.Tarpits.Http;

public sealed class BasicCredentialsTests
{
    [Theory]
    [InlineData("Basic YWRtaW46cGFzcw==", "admin", "pass")]
    [InlineData("BASIC  cm9vdA==", "root", "")]
    [InlineData("Basic OmVtcHR5LXVzZXI=", "", "empty-user")]
    [InlineData("Basic YTpiOmM=", "a", "b:c")]
    public void Basic_tokens_decode_to_user_and_password(string header, string user, string password)
    {
        Assert.True(BasicCredentials.TryDecode(Encoding.ASCII.GetBytes(header), out var decodedUser, out var decodedPassword));
        Assert.Equal(user, Encoding.UTF8.GetString(decodedUser));
        Assert.Equal(password, Encoding.UTF8.GetString(decodedPassword));
    }

    [Theory]
    [InlineData("Bearer abc")]
    [InlineData("Basic")]
    [InlineData("Basic !!!")]
    [InlineData("Basic YWRtaW46cGFzcw")]
    [InlineData("Digest username=\"a\"")]
    public void Other_schemes_and_bad_base64_are_ignored(string header)
    {
        Assert.False(BasicCredentials.TryDecode(Encoding.ASCII.GetBytes(header), out _, out _));
    }

    [Fact]
    public void A_token_at_the_line_limit_decodes_on_the_stack()
    {
        var raw = new byte[HttpRequestParser.MaxLineLength / 4 * 3];
        Array.Fill(raw, (byte)'u');
        var header = "Basic " + Convert.ToBase64String(raw);

        Assert.True(BasicCredentials.TryDecode(Encoding.ASCII.GetBytes(header), out var user, out _));
        Assert.Equal(raw.Length, user.Length);
    }
}
