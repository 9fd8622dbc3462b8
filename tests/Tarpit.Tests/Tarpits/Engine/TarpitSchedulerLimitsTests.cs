using Tarpit.Tarpits;
using Tarpit.Tarpits.Engine;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tests.Tarpits.Engine;

public sealed class TarpitSchedulerLimitsTests
{
    [Fact]
    public async Task Connections_beyond_max_clients_per_ip_are_closed_at_once_and_the_slot_freed()
    {
        using var fixture = new SchedulerFixture();
        using var tarpit = TarpitConfigs.Runtime(TestMode.Drip(TimeSpan.FromSeconds(10)), TarpitConfigs.Listener(maxClientsPerIp: 2));
        var clients = Enumerable.Range(0, 3).Select(_ => fixture.Loopback.Connect(tarpit)).ToList();

        clients.ForEach(c => fixture.Scheduler.Enqueue(c.Accepted));
        fixture.Scheduler.RunOnce();

        Assert.Equal(2, fixture.Scheduler.Held);
        Assert.True(LoopbackPair.SeesClose(clients[2].Client));
        Assert.Equal(tarpit.MaxClients - 2, tarpit.Slots.CurrentCount);
        Assert.Equal(2, tarpit.PerAddress[clients[0].Accepted.Remote.Address].Count);
        await fixture.DrainEventsAsync();
        Assert.Equal(2, fixture.Sink.OfKind(ConnectionEventKind.Opened).Count);
    }

    [Fact]
    public async Task IPv6_clients_are_counted_per_64_up_to_max_clients_per_v6_64_and_other_64s_still_get_in()
    {
        // One /64 has 2^64 addresses: max_clients_per_ip alone would let it open max_clients connections.
        using var fixture = new SchedulerFixture();
        var config = TarpitConfigs.Listener(maxClientsPerIp: 2) with { MaxClientsPerV6Prefix = 3 };
        using var tarpit = TarpitConfigs.Runtime(TestMode.Drip(TimeSpan.FromSeconds(10)), config);
        string[] remotes = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3", "2001:db8:1:2::4", "2001:db8:1:3::1"];
        var clients = remotes.Select(r => AsFrom(fixture.Loopback.Connect(tarpit), r)).ToList();

        clients.ForEach(c => fixture.Scheduler.Enqueue(c.Accepted));
        fixture.Scheduler.RunOnce();

        Assert.Equal(4, fixture.Scheduler.Held); // three of 2001:db8:1:2::/64, the fourth refused; 2001:db8:1:3::/64 in
        Assert.True(LoopbackPair.SeesClose(clients[3].Client));
        Assert.Equal(3, tarpit.PerV6Prefix[0x2001_0db8_0001_0002UL]);
        Assert.Equal(1, tarpit.PerV6Prefix[0x2001_0db8_0001_0003UL]);
        Assert.Equal(tarpit.MaxClients - 4, tarpit.Slots.CurrentCount);

        fixture.Scheduler.CloseAll();
        Assert.Empty(tarpit.PerV6Prefix);
        Assert.Empty(tarpit.PerAddress);
        await fixture.DrainEventsAsync();
        Assert.Equal(4, fixture.Sink.OfKind(ConnectionEventKind.Opened).Count);
    }

    [Fact]
    public void A_closed_IPv6_connection_gives_its_place_in_the_64_back()
    {
        using var fixture = new SchedulerFixture();
        var config = TarpitConfigs.Listener(maxClientsPerIp: 1, maxHold: TimeSpan.FromSeconds(5)) with { MaxClientsPerV6Prefix = 1 };
        using var tarpit = TarpitConfigs.Runtime(TestMode.Drip(TimeSpan.FromSeconds(10)), config);
        var first = AsFrom(fixture.Loopback.Connect(tarpit), "2001:db8::1");
        fixture.Scheduler.Enqueue(first.Accepted);
        fixture.Scheduler.RunOnce();
        fixture.Advance(TimeSpan.FromSeconds(5));

        var second = AsFrom(fixture.Loopback.Connect(tarpit), "2001:db8::2");
        fixture.Scheduler.Enqueue(second.Accepted);
        fixture.Scheduler.RunOnce();

        Assert.Equal(1, fixture.Scheduler.Held);
        Assert.Equal(".", System.Text.Encoding.ASCII.GetString(LoopbackPair.ReadSome(second.Client)));
    }

    [Fact]
    public void IPv4_clients_are_not_counted_per_64()
    {
        Assert.Null(TarpitScheduler.V6PrefixOf(System.Net.IPAddress.Parse("198.18.0.1")));
        Assert.Equal(0x2001_0db8_0000_0000UL, TarpitScheduler.V6PrefixOf(System.Net.IPAddress.Parse("2001:db8::ffff:1")));
    }

    /// <summary>The same real loopback socket, described as accepted from <paramref name="remote"/> (the scheduler counts what the accept loop described).</summary>
    private static (System.Net.Sockets.Socket Client, AcceptedConnection Accepted) AsFrom(
        (System.Net.Sockets.Socket Client, AcceptedConnection Accepted) pair, string remote) =>
        (pair.Client, pair.Accepted with { Remote = new System.Net.IPEndPoint(System.Net.IPAddress.Parse(remote), 40000) });

    [Fact]
    public void A_closed_connection_gives_its_per_address_place_back()
    {
        using var fixture = new SchedulerFixture();
        using var tarpit = TarpitConfigs.Runtime(TestMode.Drip(TimeSpan.FromSeconds(10)), TarpitConfigs.Listener(maxClientsPerIp: 1, maxHold: TimeSpan.FromSeconds(5)));
        var first = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(first.Accepted);
        fixture.Scheduler.RunOnce();
        fixture.Advance(TimeSpan.FromSeconds(5));

        var second = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(second.Accepted);
        fixture.Scheduler.RunOnce();

        Assert.Equal(1, fixture.Scheduler.Held);
        Assert.Equal(".", System.Text.Encoding.ASCII.GetString(LoopbackPair.ReadSome(second.Client)));
    }

    [Fact]
    public async Task CloseAll_closes_every_held_connection_and_publishes_Closed_for_each()
    {
        using var fixture = new SchedulerFixture();
        using var tarpit = TarpitConfigs.Runtime(TestMode.Drip(TimeSpan.FromSeconds(10)));
        var clients = Enumerable.Range(0, 5).Select(_ => fixture.Loopback.Connect(tarpit)).ToList();
        clients.ForEach(c => fixture.Scheduler.Enqueue(c.Accepted));
        fixture.Scheduler.RunOnce();

        fixture.Scheduler.CloseAll();

        Assert.Equal(0, fixture.Scheduler.Held);
        Assert.All(clients, c => Assert.True(LoopbackPair.SeesClose(c.Client)));
        Assert.Equal(tarpit.MaxClients, tarpit.Slots.CurrentCount);
        await fixture.DrainEventsAsync();
        Assert.Equal(5, fixture.Sink.OfKind(ConnectionEventKind.Closed).Count);
    }

    [Fact]
    public async Task A_session_that_throws_loses_its_connection_and_the_others_go_on()
    {
        using var fixture = new SchedulerFixture();
        var opened = 0;
        using var tarpit = TarpitConfigs.Runtime(new TestMode(
            "test-mixed",
            _ => ++opened == 1 ? new ThrowingSession() : new DripSession(TimeSpan.FromSeconds(1))));
        var bad = fixture.Loopback.Connect(tarpit);
        var good = fixture.Loopback.Connect(tarpit);

        fixture.Scheduler.Enqueue(bad.Accepted);
        fixture.Scheduler.Enqueue(good.Accepted);
        fixture.Scheduler.RunOnce();

        Assert.True(LoopbackPair.SeesClose(bad.Client));
        Assert.Equal(".", System.Text.Encoding.ASCII.GetString(LoopbackPair.ReadSome(good.Client)));
        Assert.Equal(1, fixture.Scheduler.Held);
        Assert.Contains(fixture.Log.Events, e => e.Level == Serilog.Events.LogEventLevel.Error && e.Exception is InvalidOperationException);
        await fixture.DrainEventsAsync();
        Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Closed));
    }

    [Fact]
    public void CloseAfter_sends_now_and_closes_after_the_delay_without_another_step()
    {
        using var fixture = new SchedulerFixture();
        var session = new CloseAfterSession();
        using var tarpit = TarpitConfigs.Runtime(new TestMode("test-close", _ => session));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);
        fixture.Scheduler.RunOnce();

        var bye = LoopbackPair.ReadSome(client);
        fixture.Advance(TimeSpan.FromSeconds(1.9));
        var stillHeld = fixture.Scheduler.Held;
        fixture.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal("bye", System.Text.Encoding.ASCII.GetString(bye));
        Assert.Equal(1, stillHeld);
        Assert.Equal(0, fixture.Scheduler.Held);
        Assert.True(LoopbackPair.SeesClose(client));
        Assert.Equal(1, session.Steps);
    }

    [Fact]
    public async Task Details_stop_growing_at_MaxDetails_distinct_keys_in_a_step_and_in_a_summary()
    {
        using var fixture = new SchedulerFixture();
        using var tarpit = TarpitConfigs.Runtime(new TestMode("test-chatty", _ => new ChattySession(TarpitScheduler.MaxDetails + 1)));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);
        fixture.Scheduler.RunOnce();

        fixture.Scheduler.CloseAll();

        await fixture.DrainEventsAsync();
        var observed = Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Observed));
        Assert.Equal(TarpitScheduler.MaxDetails, observed.Details!.Count);
        Assert.Equal("updated", observed.Details["key0"]);
        var closed = Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Closed));
        Assert.Equal(TarpitScheduler.MaxDetails, closed.Details!.Count);
        Assert.Equal("updated", closed.Details["key0"]);
    }

    private sealed class ThrowingSession : ITarpitSession
    {
        public SessionStep Step(ref SessionContext context) => throw new InvalidOperationException("session bug");
    }

    private sealed class CloseAfterSession : ITarpitSession
    {
        public int Steps { get; private set; }

        public SessionStep Step(ref SessionContext context)
        {
            Steps++;
            context.Written = System.Text.Encoding.ASCII.GetBytes("bye", context.Output);
            return SessionStep.CloseAfter(TimeSpan.FromSeconds(2));
        }
    }

    private sealed class ChattySession(int keys) : ITarpitSession
    {
        public SessionStep Step(ref SessionContext context)
        {
            for (var i = 0; i < keys; i++)
            {
                context.Observe("key" + i, "v");
                context.Summarize("key" + i, "v");
            }

            context.Observe("key0", "updated");
            context.Summarize("key0", "updated");
            return SessionStep.After(TimeSpan.FromSeconds(10));
        }
    }
}
