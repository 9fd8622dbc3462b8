using System.Net;
using Tarpit.Config;
using Tarpit.Crowdsec;

namespace Tarpit.Tests.Crowdsec;

/// <summary>Issue 17, bouncer: the LAPI's stream JSON read, bounded and filtered (scope, type, origin, scenario).</summary>
public sealed class DecisionStreamTests
{
    private static CrowdsecConfig Config(string[]? origins = null, string[]? scenarios = null, string[]? types = null) =>
        new(new Uri("http://127.0.0.1:8080/"), new ConfigSecret("k", null), TimeSpan.FromSeconds(1), origins ?? [], scenarios ?? [], types ?? ["ban"], null, null, true);

    private static LapiDecision Decision(string value, string scope = "Ip", string type = "ban", string origin = "cscli", string scenario = "manual 'ban' from 'x'", string duration = "3h59m58.5s", long id = 1) =>
        new() { Id = id, Value = value, Scope = scope, Type = type, Origin = origin, Scenario = scenario, Duration = duration };

    [Theory]
    [InlineData("4h", 4 * 3600_000d)]
    [InlineData("3h59m58.5s", (3 * 3600 + 59 * 60 + 58.5) * 1000)]
    [InlineData("150ms", 150d)]
    [InlineData("1m0.000001s", 60_000.001)]
    [InlineData("-2m3s", -123_000d)]
    [InlineData("0", 0d)]
    [InlineData("1500us", 1.5)]
    public void Go_durations_are_read(string text, double milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(milliseconds, value.TotalMilliseconds, 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4")]
    [InlineData("4d")]
    [InlineData("h")]
    [InlineData("1h2x")]
    [InlineData("99999999999999999999999999999999h")]
    public void Other_texts_are_not_durations(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }

    [Fact]
    public void Ip_and_range_of_both_families_are_accepted()
    {
        var reader = new DecisionReader(Config());
        var tally = new DecisionReader.Tally();

        var targets = new[]
        {
            Decision("192.0.2.7"), Decision("2001:db8::7"), Decision("198.51.100.0/24", "Range"), Decision("2001:db8:1::/48", "range"),
        }.Select(d => reader.Accept(d, tally)?.Target).ToList();

        Assert.Equal([IPNetwork.Parse("192.0.2.7/32"), IPNetwork.Parse("2001:db8::7/128"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("2001:db8:1::/48")], targets);
        Assert.Equal(4, tally.Accepted);
    }

    [Fact]
    public void Other_scopes_bad_values_and_ended_decisions_are_counted_not_taken()
    {
        var reader = new DecisionReader(Config());
        var tally = new DecisionReader.Tally();

        Assert.Null(reader.Accept(Decision("AS64496", "AS"), tally));
        Assert.Null(reader.Accept(Decision("DE", "Country"), tally));
        Assert.Null(reader.Accept(Decision("192.0.2.0/24", "Ip"), tally));
        Assert.Null(reader.Accept(Decision("192.0.2.1/24", "Range"), tally));
        Assert.Null(reader.Accept(Decision("0.0.0.0/0", "Range"), tally));
        Assert.Null(reader.Accept(Decision("not-an-ip"), tally));
        Assert.Null(reader.Accept(Decision(new string('1', 5000)), tally));
        Assert.Null(reader.Accept(Decision("192.0.2.9", origin: new string('o', 100)), tally));
        Assert.Null(reader.Accept(Decision("192.0.2.9", duration: "forever"), tally));
        Assert.Null(reader.Accept(Decision("192.0.2.9", duration: "-5s"), tally));

        Assert.Equal(2, tally.OtherScope);
        Assert.Equal(7, tally.Invalid);
        Assert.Equal(1, tally.Ended);
        Assert.Equal(0, tally.Accepted);
    }

    [Fact]
    public void Only_ban_decisions_by_default_and_simulated_never()
    {
        var reader = new DecisionReader(Config());
        var tally = new DecisionReader.Tally();
        var simulated = Decision("192.0.2.8");
        simulated.Simulated = true;

        Assert.Null(reader.Accept(Decision("192.0.2.7", type: "captcha"), tally));
        Assert.Null(reader.Accept(simulated, tally));
        Assert.NotNull(reader.Accept(Decision("192.0.2.9", type: "BAN"), tally));
        Assert.Equal(2, tally.Filtered);
    }

    [Fact]
    public void Origins_scenarios_and_types_filter_together()
    {
        var reader = new DecisionReader(Config(origins: ["crowdsec"], scenarios: ["ssh"], types: ["ban", "captcha"]));
        var tally = new DecisionReader.Tally();

        Assert.NotNull(reader.Accept(Decision("192.0.2.1", origin: "CrowdSec", scenario: "crowdsecurity/ssh-bf"), tally));
        Assert.NotNull(reader.Accept(Decision("192.0.2.2", origin: "crowdsec", scenario: "crowdsecurity/SSH-slow-bf", type: "captcha"), tally));
        Assert.Null(reader.Accept(Decision("192.0.2.3", origin: "cscli", scenario: "crowdsecurity/ssh-bf"), tally));
        Assert.Null(reader.Accept(Decision("192.0.2.4", origin: "crowdsec", scenario: "crowdsecurity/http-probing"), tally));
        Assert.Null(reader.Accept(Decision("192.0.2.5", origin: "crowdsec", scenario: "crowdsecurity/ssh-bf", type: "throttle"), tally));
        Assert.Equal(3, tally.Filtered);
    }

    [Fact]
    public void A_long_scenario_is_cut_to_its_bound()
    {
        var decision = DecisionReader.Read(Decision("192.0.2.1", scenario: new string('s', 10_000)), new DecisionReader.Tally());

        Assert.Equal(DecisionReader.MaxScenarioLength, decision!.Scenario.Length);
    }
}
