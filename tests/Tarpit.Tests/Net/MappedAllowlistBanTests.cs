using System.Net;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Serilog;
using Tarpit.Bans;
using Tarpit.Config;
using Tarpit.Firewall;
using Tarpit.Store;
using Tarpit.Tests.Config;
using Tarpit.Tests.Store;

namespace Tarpit.Tests.Net;

public sealed class MappedAllowlistBanTests : IDisposable
{
    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly IFirewallChangeSink _changes = Substitute.For<IFirewallChangeSink>();
    private readonly BanStore _store;
    private readonly BanService _service;

    public MappedAllowlistBanTests()
    {
        var config = ConfigLoader.Parse("[firewall]\nallow = [\"::ffff:10.0.0.3\", \"::ffff:198.51.100.0/120\"]\n", ConfigErrors.File);
        _store = BanStore.Open(_dir.Path);
        _service = new BanService(config.Firewall, _store, _changes, _time, new LoggerConfiguration().CreateLogger());
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("10.0.0.3/32")]
    [InlineData("10.0.0.0/24")]
    [InlineData("198.51.100.77/32")]
    public async Task An_address_allowlisted_in_its_mapped_spelling_cannot_be_banned(string target)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var outcome = await _service.BanAsync(new BanRequest(IPNetwork.Parse(target), "manual", "test"), cts.Token);

        Assert.Equal(BanRefusal.Allowlisted, outcome.Refusal);
        Assert.Empty(_store.List(all: true, _time.GetUtcNow()));
        Assert.Empty(_changes.ReceivedCalls());
    }

    [Fact]
    public void Detection_asks_about_the_ipv4_address_and_finds_it_allowed()
    {
        Assert.True(_service.IsAllowed(IPAddress.Parse("10.0.0.3")));
        Assert.True(_service.IsAllowed(IPAddress.Parse("::ffff:10.0.0.3")));
        Assert.False(_service.IsAllowed(IPAddress.Parse("10.0.0.4")));
    }
}
