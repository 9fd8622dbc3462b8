using System.Net;
using Tarpit.Tarpits.Proxy;

namespace Tarpit.Tests.Tarpits.Proxy;

public sealed class ForwardedClientTests
{
    private static readonly IPNetwork[] Trusted = [IPNetwork.Parse("127.0.0.1/32"), IPNetwork.Parse("10.0.0.0/8")];

    private static bool IsTrusted(IPAddress address) => Trusted.Any(n => n.Contains(address));

    private static ForwardedClient.Outcome Resolve(string? forwarded = null, string? xff = null, string? realIp = null) =>
        ForwardedClient.Resolve(forwarded, xff, realIp, IsTrusted);

    [Theory]
    [InlineData("for=192.0.2.60;proto=http;by=203.0.113.43", "192.0.2.60")]
    [InlineData("for=\"[2001:db8:cafe::17]:4711\"", "2001:db8:cafe::17")]
    [InlineData("For=\"192.0.2.60:4711\"", "192.0.2.60")]
    [InlineData("for=198.51.100.9, for=192.0.2.43", "192.0.2.43")]
    [InlineData("for=192.0.2.43, for=10.1.2.3", "192.0.2.43")]
    [InlineData("for=192.0.2.43;proto=https, for=10.1.2.3;by=_hidden", "192.0.2.43")]
    [InlineData("for=\"_gazonk\", for=192.0.2.43", "192.0.2.43")]
    public void Forwarded_names_the_rightmost_hop_that_is_not_a_trusted_proxy(string value, string client)
    {
        var outcome = Resolve(forwarded: value);

        Assert.Equal(IPAddress.Parse(client), outcome.Client);
        Assert.Equal("Forwarded", outcome.Field);
    }

    [Theory]
    [InlineData("for=unknown")]
    [InlineData("for=_hidden")]
    [InlineData("for=192.0.2.43, for=unknown")]
    [InlineData("proto=https")]
    public void Forwarded_unknown_or_obfuscated_names_nobody_and_is_not_a_problem(string value)
    {
        var outcome = Resolve(forwarded: value);

        Assert.Null(outcome.Client);
        Assert.Null(outcome.Problem);
    }

    [Theory]
    [InlineData("for=[2001:db8::1]")]
    [InlineData("for=\"2001:db8::1\"")]
    [InlineData("for=\"[192.0.2.1]\"")]
    [InlineData("for=192.0.2.1:")]
    [InlineData("for=\"192.0.2.1:123456\"")]
    [InlineData("for=\"192.0.2.1")]
    [InlineData("for")]
    [InlineData("for=192.0.2.1 x")]
    [InlineData("for=_")]
    [InlineData("for=300.0.0.1")]
    public void Malformed_Forwarded_is_ignored_and_named_as_the_problem(string value)
    {
        var outcome = Resolve(forwarded: value);

        Assert.Null(outcome.Client);
        Assert.StartsWith("Forwarded: ", outcome.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Forwarded_wins_over_X_Forwarded_For_which_wins_over_X_Real_IP()
    {
        Assert.Equal(IPAddress.Parse("192.0.2.1"), Resolve("for=192.0.2.1", "192.0.2.2", "192.0.2.3").Client);
        Assert.Equal(IPAddress.Parse("192.0.2.2"), Resolve(null, "192.0.2.2", "192.0.2.3").Client);
        Assert.Equal(IPAddress.Parse("192.0.2.3"), Resolve(null, null, " 192.0.2.3 ").Client);
        Assert.Equal(IPAddress.Parse("192.0.2.2"), Resolve("for=unknown", "192.0.2.2", "192.0.2.3").Client);
    }

    [Fact]
    public void A_malformed_field_gives_way_to_the_next_and_is_still_reported()
    {
        var outcome = Resolve("for=[oops]", "192.0.2.2");

        Assert.Equal(IPAddress.Parse("192.0.2.2"), outcome.Client);
        Assert.Equal("X-Forwarded-For", outcome.Field);
        Assert.StartsWith("Forwarded: ", outcome.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("203.0.113.9, 192.0.2.7", "192.0.2.7")]
    [InlineData("203.0.113.9, 192.0.2.7, 10.0.0.2, 127.0.0.1", "192.0.2.7")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("10.0.0.5,127.0.0.1", "10.0.0.5")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8::7 ", "2001:db8::7")]
    public void X_Forwarded_For_names_the_rightmost_untrusted_hop(string value, string client)
    {
        Assert.Equal(IPAddress.Parse(client), Resolve(xff: value).Client);
    }

    [Theory]
    [InlineData("192.0.2.7, junk")]
    [InlineData("192.0.2.7:80")]
    [InlineData("")]
    [InlineData("192.0.2.7,,")]
    public void A_malformed_X_Forwarded_For_is_ignored(string value)
    {
        var outcome = Resolve(xff: value);

        Assert.Null(outcome.Client);
        Assert.StartsWith("X-Forwarded-For: ", outcome.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forged_hop_left_of_the_client_is_never_believed()
    {
        // The client sent "X-Forwarded-For: 127.0.0.1" itself; nginx appended its address.
        Assert.Equal(IPAddress.Parse("192.0.2.66"), Resolve(xff: "127.0.0.1, 192.0.2.66").Client);
    }

    [Fact]
    public void The_hop_count_and_the_field_length_are_bounded()
    {
        var trustedHops = string.Join(", ", Enumerable.Repeat("10.0.0.1", ForwardedClient.MaxHops));
        Assert.Equal(IPAddress.Parse("10.0.0.1"), Resolve(xff: trustedHops).Client);
        Assert.Contains("hops", Resolve(xff: "192.0.2.1, " + trustedHops).Problem, StringComparison.Ordinal);

        var elements = string.Join(", ", Enumerable.Repeat("for=10.0.0.1", ForwardedClient.MaxHops + 1));
        Assert.Contains("elements", Resolve(forwarded: elements).Problem, StringComparison.Ordinal);

        var longValue = new string(' ', ForwardedClient.MaxFieldLength) + "192.0.2.1";
        Assert.Contains("1024", Resolve(xff: longValue).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("80", 80)]
    [InlineData("1", 1)]
    [InlineData("65535", 65535)]
    public void X_Tarpit_Target_Port_is_a_port(string text, int port)
    {
        Assert.True(ForwardedClient.TryTargetPort(text, out var read));
        Assert.Equal(port, read);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("080")]
    [InlineData("80a")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("123456")]
    public void A_bad_X_Tarpit_Target_Port_is_refused(string? text)
    {
        Assert.False(ForwardedClient.TryTargetPort(text, out _));
    }
}
