using System.Net;
using Tarpit.Config;

namespace Tarpit.Tests.Config;

public sealed class TrustedProxyConfigTests
{
    private const string Http = "[[tarpit]]\nname = \"h\"\nprotocol = \"http\"\nlisten = [\"127.0.0.1:8080\"]\n";

    [Fact]
    public void A_tarpit_trusts_nobody_and_reads_no_PROXY_header_by_default()
    {
        var tarpit = ConfigLoader.Parse(Http, ConfigErrors.File).Tarpits.Single();

        Assert.Empty(tarpit.TrustedProxies);
        Assert.False(tarpit.ProxyProtocol);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("tls")]
    [InlineData("ssh")]
    public void Trusted_proxies_and_proxy_protocol_are_read_for_every_protocol(string protocol)
    {
        var tarpit = ConfigLoader.Parse(
            $"[[tarpit]]\nname = \"t\"\nprotocol = \"{protocol}\"\nlisten = [\"127.0.0.1:9000\"]\ntrusted_proxies = [\"127.0.0.1/32\", \"::1\", \"10.0.0.0/8\"]\nproxy_protocol = true\n",
            ConfigErrors.File).Tarpits.Single();

        Assert.Equal([IPNetwork.Parse("127.0.0.1/32"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("10.0.0.0/8")], tarpit.TrustedProxies);
        Assert.True(tarpit.ProxyProtocol);
    }

    [Fact]
    public void A_bad_trusted_proxy_entry_is_reported_at_its_line_and_column()
    {
        var errors = ConfigErrors.Of(Http + "trusted_proxies = [\"127.0.0.1/32\", \"10.0.0.1/8\", 7, \"proxy.example\"]\n");

        Assert.Equal(3, errors.Count);
        Assert.StartsWith("tarpit.toml:5:36: error: invalid 'trusted_proxies' entry: ", errors[0]);
        Assert.Contains("10.0.0.0/8", errors[0], StringComparison.Ordinal);
        Assert.Equal("tarpit.toml:5:50: error: 'trusted_proxies' entries must be strings: found integer 7, expected " + Tarpit.Net.NetworkText.Allowed, errors[1]);
        Assert.StartsWith("tarpit.toml:5:53: error: invalid 'trusted_proxies' entry: ", errors[2]);
    }

    [Fact]
    public void Proxy_protocol_without_trusted_proxies_is_an_error()
    {
        var error = ConfigErrors.Single(Http + "proxy_protocol = true\n");

        Assert.StartsWith("tarpit.toml:5:1: error: 'proxy_protocol' is true but 'trusted_proxies' is empty", error);
    }

    [Fact]
    public void A_reload_that_changes_the_trusted_proxies_changes_the_tarpit()
    {
        var before = ConfigLoader.Parse(Http, ConfigErrors.File).Tarpits.Single();
        var after = ConfigLoader.Parse(Http + "trusted_proxies = [\"127.0.0.1\"]\n", ConfigErrors.File).Tarpits.Single();
        var same = ConfigLoader.Parse(Http + "trusted_proxies = []\n", ConfigErrors.File).Tarpits.Single();

        Assert.NotEqual(before, after);
        Assert.Equal(before, same);
    }

    [Fact]
    public void Check_prints_the_trusted_proxies_and_proxy_protocol()
    {
        var config = ConfigLoader.Parse(Http + "trusted_proxies = [\"127.0.0.1\", \"::1/128\"]\n", ConfigErrors.File);

        var printed = ConfigPrinter.Render(config);

        Assert.Contains("trusted_proxies = [\"127.0.0.1\", \"::1\"]", printed, StringComparison.Ordinal);
        Assert.Contains("proxy_protocol = false", printed, StringComparison.Ordinal);
    }
}
