using System.Text;
using Tarpit.Tarpits.Ssh;

namespace Tarpit.Tests.Tarpits.Ssh;

public sealed class ClientIdentificationTests
{
    [Fact]
    public void An_OpenSSH_version_line_is_a_version_of_its_length_without_CR_LF()
    {
        var identification = new ClientIdentification();
        var line = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10"u8;

        var greeting = identification.Feed([.. line, .. "\r\n"u8, .. "more"u8], out var lineLength);

        Assert.Equal(ClientGreeting.Version, greeting);
        Assert.Equal(line.Length, lineLength);
    }

    [Fact]
    public void A_version_line_split_over_reads_is_incomplete_until_its_LF()
    {
        var identification = new ClientIdentification();

        var first = identification.Feed("SS"u8, out _);
        var hadPrefixAfterTwoBytes = identification.HasPrefix;
        var second = identification.Feed("H-2.0-x"u8, out _);
        var third = identification.Feed("\n"u8, out var lineLength);

        Assert.Equal(ClientGreeting.Incomplete, first);
        Assert.False(hadPrefixAfterTwoBytes);
        Assert.Equal(ClientGreeting.Incomplete, second);
        Assert.Equal(ClientGreeting.Version, third);
        Assert.Equal(0, lineLength);
        Assert.True(identification.HasPrefix);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("\x16\x03\x01\x02\x00")]
    [InlineData("SSH_2.0\r\n")]
    [InlineData("\r\n")]
    [InlineData("SSH-2.0-\0x\r\n")]
    public void Anything_but_an_SSH_dash_line_is_garbage(string received)
    {
        var identification = new ClientIdentification();

        var greeting = identification.Feed(Encoding.Latin1.GetBytes(received), out _);

        Assert.Equal(ClientGreeting.Garbage, greeting);
    }

    [Fact]
    public void A_line_of_exactly_255_bytes_with_CR_LF_is_accepted()
    {
        var identification = new ClientIdentification();
        var line = "SSH-2.0-" + new string('x', ClientIdentification.MaxLineLength - 2 - 8) + "\r\n";

        var greeting = identification.Feed(Encoding.ASCII.GetBytes(line), out var lineLength);

        Assert.Equal(ClientGreeting.Version, greeting);
        Assert.Equal(ClientIdentification.MaxLineLength - 2, lineLength);
    }

    [Fact]
    public void A_line_of_256_bytes_with_CR_LF_is_garbage()
    {
        var identification = new ClientIdentification();
        var line = "SSH-2.0-" + new string('x', ClientIdentification.MaxLineLength - 1 - 8) + "\r\n";

        var greeting = identification.Feed(Encoding.ASCII.GetBytes(line), out _);

        Assert.Equal(ClientGreeting.Garbage, greeting);
    }
}
