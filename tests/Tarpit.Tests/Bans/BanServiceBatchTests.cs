using System.Net;
using Microsoft.Extensions.Time.Testing;
using Serilog;
using Tarpit.Bans;
using Tarpit.Firewall;
using Tarpit.Store;
using Tarpit.Tests.Firewall;
using Tarpit.Tests.Store;

namespace Tarpit.Tests.Bans;

public sealed class BanServiceBatchTests : IDisposable
{
    private readonly TempStateDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly BanStore _store;
    private readonly CommittedCheckingSink _changes;
    private readonly BanService _service;

    public BanServiceBatchTests()
    {
        _store = BanStore.Open(_dir.Path);
        _changes = new CommittedCheckingSink(_store);
        _service = new BanService(FirewallTestConfig.Firewall("127.0.0.0/8", "203.0.113.0/24"), _store, _changes, _time, new LoggerConfiguration().CreateLogger());
    }

    public void Dispose()
    {
        _changes.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_batch_is_judged_in_order_and_every_redirect_is_sent_only_after_the_store_committed_it()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        BanRequest[] requests =
        [
            new(IPNetwork.Parse("192.0.2.2/32"), "sshd", "3 failures"),
            new(IPNetwork.Parse("203.0.113.9/32"), "sshd", "3 failures"),
            new(IPNetwork.Parse("192.0.2.2/32"), "sshd", "4 failures"),
            new(IPNetwork.Parse("198.51.100.0/24"), "manual", "subnet"),
        ];

        var outcomes = await _service.BanAllAsync(requests, cts.Token);

        Assert.Equal(
            ["banned 192.0.2.2 for 1h (ban #1)", "refused", "192.0.2.2 is already banned for 1h more (ban #1); kept it: a ban is never shortened", "banned 198.51.100.0/24 for 1h (ban #1)"],
            outcomes.Select(o => o.Applied ? o.Message : "refused"));
        Assert.Equal(BanRefusal.Allowlisted, outcomes[1].Refusal);
        Assert.Equal(
            [("192.0.2.2/32", 1L), ("198.51.100.0/24", 1L)],
            _changes.Submitted.Select(s => (s.Change.Target.ToString(), s.CommittedRows)));
        Assert.Equal(["192.0.2.2/32", "198.51.100.0/24"], _store.Active(_time.GetUtcNow()).Select(b => b.Target.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_fleet_decision_is_stored_and_redirected_like_a_local_ban_but_its_outcome_has_no_sentence_for_people()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        BanRequest[] requests =
        [
            new(IPNetwork.Parse("192.0.2.0/24"), "sshd", "3 failures"),
            new(IPNetwork.Parse("192.0.2.5/32"), "crowdsec:cscli", "crowdsecurity/ssh-bf", TimeSpan.FromHours(4), Remote: true),
        ];

        var outcomes = await _service.BanAllAsync(requests, cts.Token);

        Assert.Equal("banned 192.0.2.0/24 for 1h (ban #1)", outcomes[0].Message);
        var remote = outcomes[1];
        Assert.True(remote.Applied);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(4), remote.ExpiresAt);
        Assert.Equal("", remote.Message);
        Assert.Empty(remote.Notes);
        Assert.Equal(["192.0.2.0/24", "192.0.2.5/32"], _changes.Submitted.Select(s => s.Change.Target.ToString()));
        Assert.Equal("crowdsec:cscli", Assert.Single(_store.Active(_time.GetUtcNow()), b => b.Target == requests[1].Target).Source);
    }

    [Fact]
    public async Task A_single_ban_is_a_batch_of_one_and_an_address_inside_a_new_prefix_stays_in_the_kernel()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.2/32"), "sshd", "3 failures"), cts.Token);

        var outcome = await _service.BanAsync(new BanRequest(IPNetwork.Parse("192.0.2.0/24"), "manual", "subnet"), cts.Token);

        Assert.True(outcome.Applied);
        Assert.Equal(
            [(FirewallChangeKind.Create, "192.0.2.2/32"), (FirewallChangeKind.Create, "192.0.2.0/24")],
            _changes.Submitted.Select(s => (s.Change.Kind, s.Change.Target.ToString())));
    }

    /// <summary>Records each change with the number of open bans of its target another connection sees at that moment (the committed state).</summary>
    private sealed class CommittedCheckingSink(BanStore store) : IFirewallChangeSink, IDisposable
    {
        private readonly Microsoft.Data.Sqlite.SqliteConnection _reader = store.Connect();

        public List<(FirewallChange Change, long CommittedRows)> Submitted { get; } = [];

        public ValueTask SubmitAsync(FirewallChange change, CancellationToken cancellationToken)
        {
            using var command = _reader.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM bans WHERE target = $target AND unbanned_at IS NULL;";
            command.Parameters.AddWithValue("$target", change.Target.ToString());
            Submitted.Add((change, (long)command.ExecuteScalar()!));
            return ValueTask.CompletedTask;
        }

        public void Dispose() => _reader.Dispose();
    }
}
