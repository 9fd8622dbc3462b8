using Tarpit.Bans;
using Tarpit.Tests.Firewall;

namespace Tarpit.Tests.Bans;

public sealed class EscalationTests
{
    [Theory]
    [InlineData(0, 3600)]
    [InlineData(1, 7200)]
    [InlineData(2, 14400)]
    [InlineData(7, 460800)]
    [InlineData(8, 604800)]
    [InlineData(10_000, 604800)]
    public void Each_previous_ban_multiplies_ban_time_by_the_factor_up_to_max_ban_time(int previousBans, int expectedSeconds)
    {
        var firewall = FirewallTestConfig.Firewall() with
        {
            BanTime = TimeSpan.FromHours(1),
            BanTimeFactor = 2,
            MaxBanTime = TimeSpan.FromDays(7),
        };

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Escalation.Duration(firewall, previousBans));
    }

    [Fact]
    public void A_factor_of_one_never_escalates() =>
        Assert.Equal(TimeSpan.FromMinutes(10), Escalation.Duration(FirewallTestConfig.Firewall() with { BanTime = TimeSpan.FromMinutes(10), BanTimeFactor = 1 }, 5));
}
