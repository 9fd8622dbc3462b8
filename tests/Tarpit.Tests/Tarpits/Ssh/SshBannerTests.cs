using System.Text;
using Tarpit.Tarpits.Ssh;

namespace Tarpit.Tests.Tarpits.Ssh;

public sealed class SshBannerTests
{
    [Fact]
    public void No_banner_means_a_stock_Debian_OpenSSH_line()
    {
        var line = SshBanner.Line(SshTestConfig.Create("kex-hold") with { Banner = null });

        Assert.Equal("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n", Encoding.ASCII.GetString(line));
    }

    [Theory]
    [InlineData("OpenSSH_9.2p1")]
    [InlineData("SSH-1.99-OpenSSH_3.9p1")]
    [InlineData("SSH-2.0-bad\r\nline")]
    public void A_banner_that_is_not_an_identification_string_is_an_operator_error(string banner)
    {
        var config = SshTestConfig.Create("kex-hold") with { Banner = banner };

        var error = Assert.Throws<OperatorException>(() => SshBanner.Line(config));

        Assert.Equal(ExitCodes.Config, error.ExitCode);
        Assert.Contains("'ssh-test'", error.Message, StringComparison.Ordinal);
        Assert.Contains("SSH-2.0-", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_banner_of_253_characters_is_the_longest_allowed()
    {
        var longest = "SSH-2.0-" + new string('x', SshBanner.MaxLength - 8);
        var config = SshTestConfig.Create("kex-hold") with { Banner = longest };

        var line = SshBanner.Line(config);

        Assert.Equal(255, line.Length);
        Assert.Throws<OperatorException>(() => SshBanner.Line(config with { Banner = longest + "x" }));
    }
}
