using System.Text;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tests.Tarpits.Engine;

/// <summary>Issue 16: a held connection is a slot of the scheduler's table; what the slot keeps and when it is taken again.</summary>
public sealed class TarpitSchedulerSlotTests
{
    [Fact]
    public async Task A_sessions_state_is_kept_in_the_slot_and_a_hand_over_steps_the_next_session_with_it()
    {
        using var fixture = new SchedulerFixture();
        var counting = new CountingSession();
        using var tarpit = TarpitConfigs.Runtime(new TestMode("test-hand-over", _ => new HandingOverSession(counting)));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);

        fixture.Scheduler.Enqueue(accepted);
        fixture.Scheduler.RunOnce();
        var first = Encoding.ASCII.GetString(LoopbackPair.ReadSome(client));
        fixture.Advance(TimeSpan.FromSeconds(1));
        var second = Encoding.ASCII.GetString(LoopbackPair.ReadSome(client));
        fixture.Advance(TimeSpan.FromSeconds(1));
        var third = Encoding.ASCII.GetString(LoopbackPair.ReadSome(client));
        await fixture.DrainEventsAsync();

        var id = Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Opened)).ConnectionId;
        Assert.Equal($"handed over {id};", first);
        Assert.Equal($"{id}:41;", second);
        Assert.Equal($"{id}:42;", third);
        Assert.Equal(2, counting.Steps);
    }

    [Fact]
    public void A_slot_closed_while_queued_is_not_given_to_the_next_connection_until_its_entry_came_out()
    {
        using var fixture = new SchedulerFixture();
        using var tarpit = TarpitConfigs.Runtime(TestMode.Drip(TimeSpan.FromSeconds(10)));
        var (leaving, first) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(first);
        fixture.Scheduler.RunOnce();
        LoopbackPair.ReadSome(leaving);

        // The first client leaves at 5 s, with its next drip queued for 10 s; a second one comes in the same pass.
        fixture.Advance(TimeSpan.FromSeconds(5));
        leaving.Close();
        Thread.Sleep(20);
        var (staying, second) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(second);
        fixture.Advance(TimeSpan.Zero);
        Assert.Equal(".", Encoding.ASCII.GetString(LoopbackPair.ReadSome(staying)));
        Assert.Equal(1, fixture.Scheduler.Held);

        // At 10 s the first client's entry comes out: it must not drip to the second, whose own turn is at 15 s.
        fixture.Advance(TimeSpan.FromSeconds(5));
        Thread.Sleep(50);
        var atTen = LoopbackPair.ReadAvailable(staying);
        fixture.Advance(TimeSpan.FromSeconds(5));
        var atFifteen = LoopbackPair.ReadSome(staying);

        Assert.Empty(atTen);
        Assert.Equal(".", Encoding.ASCII.GetString(atFifteen));
        Assert.Equal(1, fixture.Scheduler.Held);
    }

    /// <summary>Writes its own line, leaves 41 in the state and hands the connection over.</summary>
    private sealed class HandingOverSession(ITarpitSession next) : ITarpitSession
    {
        public SessionStep Step(ref SessionContext context)
        {
            context.Written = Encoding.ASCII.GetBytes($"handed over {context.ConnectionId};", context.Output);
            context.State = 41;
            context.Next = next;
            return SessionStep.After(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Writes the connection id and the state it was given, and counts it up.</summary>
    private sealed class CountingSession : ITarpitSession
    {
        public int Steps { get; private set; }

        public SessionStep Step(ref SessionContext context)
        {
            Steps++;
            context.Written = Encoding.ASCII.GetBytes($"{context.ConnectionId}:{context.State};", context.Output);
            context.State++;
            return SessionStep.After(TimeSpan.FromSeconds(1));
        }
    }
}
