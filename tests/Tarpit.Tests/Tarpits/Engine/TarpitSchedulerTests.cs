using System.Text;
using Tarpit.Tarpits;
using Tarpit.Tarpits.Engine;
using Tarpit.Tarpits.Events;

namespace Tarpit.Tests.Tarpits.Engine;

public sealed class TarpitSchedulerTests
{
    [Fact]
    public async Task First_step_runs_at_admission_and_its_output_reaches_the_client()
    {
        using var fixture = new SchedulerFixture();
        var mode = TestMode.Drip(TimeSpan.FromSeconds(10));
        using var tarpit = TarpitConfigs.Runtime(mode);
        var (client, accepted) = fixture.Loopback.Connect(tarpit);

        fixture.Scheduler.Enqueue(accepted);
        var next = fixture.Scheduler.RunOnce();

        Assert.Equal(".", Encoding.ASCII.GetString(LoopbackPair.ReadSome(client)));
        Assert.Equal(TimeSpan.FromSeconds(10), next);
        Assert.Equal(1, fixture.Scheduler.Held);
        var opened = Assert.Single(mode.Opened);
        Assert.Equal(accepted.Remote, opened.Remote);
        await fixture.DrainEventsAsync();
        Assert.Equal([ConnectionEventKind.Opened, ConnectionEventKind.Verified], fixture.Sink.Events.Select(e => e.Kind));
    }

    [Fact]
    public void A_session_that_asked_for_After_is_stepped_only_when_the_delay_has_passed()
    {
        using var fixture = new SchedulerFixture();
        using var tarpit = TarpitConfigs.Runtime(TestMode.Drip(TimeSpan.FromSeconds(10)));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);
        fixture.Scheduler.RunOnce();
        LoopbackPair.ReadSome(client);

        fixture.Advance(TimeSpan.FromSeconds(9.9));
        Thread.Sleep(20);
        var early = LoopbackPair.ReadAvailable(client);
        fixture.Advance(TimeSpan.FromSeconds(0.1));
        var onTime = LoopbackPair.ReadSome(client);

        Assert.Empty(early);
        Assert.Equal(".", Encoding.ASCII.GetString(onTime));
    }

    [Fact]
    public async Task A_capture_and_the_steps_findings_leave_with_its_Observed_event_and_are_not_kept_with_the_connection()
    {
        using var fixture = new SchedulerFixture();
        using var tarpit = TarpitConfigs.Runtime(new TestMode("test-capture", _ => new CapturingSession()));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);
        fixture.Scheduler.RunOnce();

        client.Send("GET / HTTP/1.1\r\n\r\n"u8);
        Thread.Sleep(20);
        fixture.Advance(TimeSpan.FromMilliseconds(10));
        client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        Thread.Sleep(20);
        fixture.Advance(TimeSpan.FromMilliseconds(200));
        await fixture.DrainEventsAsync();

        var observed = Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Observed));
        Assert.Equal(("capture.http", """{"request":1}"""), (observed.ObservedKey, observed.ObservedValue));
        Assert.Equal("GET", observed.Details!["http.method"]);
        var closed = Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Closed));
        Assert.Null(closed.Details); // issue 16: a held connection keeps nothing of what its session observed
    }

    [Fact]
    public async Task A_finding_no_event_took_leaves_in_an_Observed_event_when_the_step_returns_and_a_summary_with_Closed()
    {
        using var fixture = new SchedulerFixture();
        using var tarpit = TarpitConfigs.Runtime(new TestMode("test-observe", _ => new ObservingSession()));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);
        fixture.Scheduler.RunOnce();

        client.Send("x"u8);
        Thread.Sleep(20);
        fixture.Advance(TimeSpan.FromMilliseconds(10));
        client.Send("y"u8);
        Thread.Sleep(20);
        fixture.Advance(TimeSpan.FromMilliseconds(20));
        fixture.Scheduler.CloseAll();
        await fixture.DrainEventsAsync();

        var kinds = fixture.Sink.Events.Select(e => e.Kind).ToArray();
        Assert.Equal([ConnectionEventKind.Opened, ConnectionEventKind.Verified, ConnectionEventKind.Observed, ConnectionEventKind.Observed, ConnectionEventKind.Closed], kinds);
        var verified = Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Verified));
        Assert.Equal(new Dictionary<string, string> { ["test.before"] = "x" }, verified.Details);
        var observed = fixture.Sink.OfKind(ConnectionEventKind.Observed).ToArray();
        Assert.Equal(new Dictionary<string, string> { ["test.after"] = "x" }, observed[0].Details);
        Assert.Equal(new Dictionary<string, string> { ["test.after"] = "y" }, observed[1].Details);
        Assert.All(observed, e => Assert.Null(e.ObservedKey));
        var closed = Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Closed));
        Assert.Equal(new Dictionary<string, string> { ["test.summary"] = "2" }, closed.Details);
    }

    /// <summary>
    /// On each input: its first input observed before verifying (rides on Verified), each input observed after it
    /// (no event in the step takes it), and a running count summarized for the close.
    /// </summary>
    private sealed class ObservingSession : ITarpitSession
    {
        private int _inputs;

        public SessionStep Step(ref SessionContext context)
        {
            if (!context.Received.IsEmpty)
            {
                var text = Encoding.ASCII.GetString(context.Received);
                if (_inputs++ == 0)
                {
                    context.Observe("test.before", text);
                    context.MarkVerified();
                }

                context.Observe("test.after", text);
                context.Summarize("test.summary", _inputs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            return SessionStep.AwaitInput(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Observes a method and publishes one capture on the first input, then waits for more.</summary>
    private sealed class CapturingSession : ITarpitSession
    {
        public SessionStep Step(ref SessionContext context)
        {
            if (!context.Received.IsEmpty)
            {
                context.Observe("http.method", "GET");
                context.Publish(CaptureKeys.Http, """{"request":1}""");
            }

            return SessionStep.AwaitInput(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task AwaitInput_steps_with_what_the_client_sent_and_records_it()
    {
        using var fixture = new SchedulerFixture();
        EchoSession? session = null;
        using var tarpit = TarpitConfigs.Runtime(new TestMode("test-echo", _ => session = new EchoSession(TimeSpan.FromSeconds(30))));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);
        fixture.Scheduler.RunOnce();

        client.Send("SSH-2.0-Go\x1b[31m\r\n"u8);
        Thread.Sleep(20);
        fixture.Advance(TimeSpan.FromMilliseconds(10));
        var answer = LoopbackPair.ReadSome(client);

        Assert.StartsWith("ok:SSH-2.0-Go", Encoding.ASCII.GetString(answer), StringComparison.Ordinal);
        Assert.Equal("SSH-2.0-Go\x1b[31m\r\n"u8.ToArray(), Assert.Single(session!.Received));
        await fixture.DrainEventsAsync();
        var verified = Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Verified));
        Assert.Equal(@"SSH-2.0-Go\x1b[31m\x0d\x0a", verified.FirstBytes);
        var observed = Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Observed));
        Assert.Equal("17", observed.Details!["test.length"]);
        Assert.Equal(@"SSH-2.0-Go\x1b[31m\x0d\x0a", observed.Details["test.last"]);

        // The Observed event names what the session published (a capture is stored by it), not what it only observed.
        Assert.Equal(("test.length", "17"), (observed.ObservedKey, observed.ObservedValue));
        Assert.All(fixture.Sink.Events.Where(e => e.Kind != ConnectionEventKind.Observed), e => Assert.Null(e.ObservedKey));
    }

    [Fact]
    public void AwaitInput_polls_with_a_backoff_and_steps_with_InputTimedOut_at_the_deadline()
    {
        using var fixture = new SchedulerFixture();
        EchoSession? session = null;
        using var tarpit = TarpitConfigs.Runtime(new TestMode("test-echo", _ => session = new EchoSession(TimeSpan.FromSeconds(1))));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);

        var polls = new List<TimeSpan?> { fixture.Scheduler.RunOnce() };
        for (var i = 0; i < 5; i++)
        {
            polls.Add(fixture.Advance(polls[^1]!.Value));
        }

        Assert.Equal(
            new TimeSpan?[] { TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(80), TimeSpan.FromMilliseconds(160), TimeSpan.FromMilliseconds(200) },
            polls);
        Assert.Equal(0, session!.TimedOut);
        fixture.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, session.TimedOut);
        Assert.Equal("timeout", Encoding.ASCII.GetString(LoopbackPair.ReadSome(client)));
    }

    [Fact]
    public void A_client_trickling_an_unfinished_head_keeps_its_poll_backoff_and_an_answer_starts_it_afresh()
    {
        using var fixture = new SchedulerFixture();
        LineSession? session = null;
        using var tarpit = TarpitConfigs.Runtime(new TestMode("test-line", _ => session = new LineSession(TimeSpan.FromSeconds(30))));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);
        var polls = new List<TimeSpan?> { fixture.Scheduler.RunOnce() };

        // A byte before each poll: the session reads it and waits for more without answering. Reset after every
        // byte, 1,200 such clients kept the scheduler in recv(2) 100 times a second each (bench/http-tls/trickle).
        foreach (var b in "GET /"u8.ToArray())
        {
            client.Send([b]);
            Thread.Sleep(20);
            polls.Add(fixture.Advance(polls[^1]!.Value));
        }

        client.Send("\n"u8);
        Thread.Sleep(20);
        polls.Add(fixture.Advance(polls[^1]!.Value));

        Assert.Equal(6, session!.Reads);
        Assert.Equal(
            new TimeSpan?[]
            {
                TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(80),
                TimeSpan.FromMilliseconds(160), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(10),
            },
            polls);
        Assert.Equal("line", Encoding.ASCII.GetString(LoopbackPair.ReadSome(client)));
    }

    [Fact]
    public void What_a_session_sees_per_step_is_bounded_by_the_receive_chunk()
    {
        using var fixture = new SchedulerFixture();
        EchoSession? session = null;
        using var tarpit = TarpitConfigs.Runtime(new TestMode("test-echo", _ => session = new EchoSession(TimeSpan.FromSeconds(30))));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);
        fixture.Scheduler.RunOnce();

        client.Send(new byte[TarpitScheduler.MaxReceiveChunk + 1]);
        Thread.Sleep(20);
        fixture.Advance(TimeSpan.FromMilliseconds(10));
        fixture.Advance(TimeSpan.FromMilliseconds(10));

        Assert.Equal([TarpitScheduler.MaxReceiveChunk, 1], session!.Received.Select(r => r.Length));
    }

    [Fact]
    public async Task Max_hold_closes_the_connection_and_Closed_carries_bytes_sent_and_duration()
    {
        using var fixture = new SchedulerFixture();
        var config = TarpitConfigs.Listener(maxHold: TimeSpan.FromSeconds(25));
        using var tarpit = TarpitConfigs.Runtime(TestMode.Drip(TimeSpan.FromSeconds(10)), config);
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);
        fixture.Scheduler.RunOnce();

        fixture.Advance(TimeSpan.FromSeconds(10));
        fixture.Advance(TimeSpan.FromSeconds(10));
        var next = fixture.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(1), next);
        fixture.Advance(TimeSpan.FromSeconds(1));

        Assert.True(LoopbackPair.SeesClose(client));
        Assert.Equal(0, fixture.Scheduler.Held);
        Assert.Equal(tarpit.MaxClients, tarpit.Slots.CurrentCount);
        await fixture.DrainEventsAsync();
        var closed = Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Closed));
        Assert.Equal(3, closed.BytesSent);
        Assert.Equal(TimeSpan.FromSeconds(25), closed.Duration);
        Assert.True(closed.Verified);
    }

    [Fact]
    public async Task A_client_that_closes_while_awaited_is_dropped_without_a_step()
    {
        using var fixture = new SchedulerFixture();
        EchoSession? session = null;
        using var tarpit = TarpitConfigs.Runtime(new TestMode("test-echo", _ => session = new EchoSession(TimeSpan.FromSeconds(30))));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);
        fixture.Scheduler.RunOnce();

        client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        Thread.Sleep(20);
        var next = fixture.Advance(TimeSpan.FromMilliseconds(10));

        Assert.Null(next);
        Assert.Equal(0, fixture.Scheduler.Held);
        Assert.Empty(session!.Received);
        await fixture.DrainEventsAsync();
        Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Closed));
    }

    [Fact]
    public async Task A_client_that_reset_is_dropped_at_the_next_send()
    {
        using var fixture = new SchedulerFixture();
        using var tarpit = TarpitConfigs.Runtime(TestMode.Drip(TimeSpan.FromSeconds(10)));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);
        fixture.Scheduler.RunOnce();

        client.LingerState = new System.Net.Sockets.LingerOption(true, 0);
        client.Close();
        Thread.Sleep(20);
        fixture.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, fixture.Scheduler.Held);
        await fixture.DrainEventsAsync();
        Assert.Equal(1, Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Closed)).BytesSent);
        Assert.DoesNotContain(fixture.Log.Events, e => e.Level >= Serilog.Events.LogEventLevel.Warning);
    }

    [Fact]
    public async Task A_silent_hold_that_discards_input_notices_a_client_that_left_at_its_next_step()
    {
        // A hold that sends nothing (kex-hold once its reply is out) has no failing send to tell it the client left:
        // without reading, the connection stayed until max_hold.
        using var fixture = new SchedulerFixture();
        using var tarpit = TarpitConfigs.Runtime(new TestMode("test-silent", _ => new SilentDiscardSession(TimeSpan.FromSeconds(10))));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);
        fixture.Scheduler.RunOnce();

        client.Send("SSH-2.0-client\r\n"u8);
        fixture.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, fixture.Scheduler.Held);
        client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        Thread.Sleep(20);
        fixture.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, fixture.Scheduler.Held);
        await fixture.DrainEventsAsync();
        Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Closed));
    }

    [Fact]
    public async Task A_client_that_leaves_between_drips_is_closed_when_it_left_not_at_its_next_drip()
    {
        // "Time trapped" ends when the client left: a probe that left 3 s into a 10 s drip was logged as held until the
        // next drip (24.5 s for a 3 s probe, in the field).
        using var fixture = new SchedulerFixture();
        using var tarpit = TarpitConfigs.Runtime(TestMode.Drip(TimeSpan.FromSeconds(10)));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);
        fixture.Scheduler.RunOnce();
        LoopbackPair.ReadSome(client);

        Assert.NotNull(fixture.Advance(TimeSpan.FromSeconds(3)));
        Assert.Equal(1, fixture.Scheduler.Held);
        client.Close();
        var next = PassUntilReleased(fixture, TimeSpan.FromSeconds(0.5));

        Assert.Null(next);
        Assert.Equal(0, fixture.Scheduler.Held);
        Assert.Equal(tarpit.MaxClients, tarpit.Slots.CurrentCount);
        await fixture.DrainEventsAsync();
        var closed = Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Closed));
        Assert.Equal(TimeSpan.FromSeconds(3.5), closed.Duration);
        Assert.Equal(1, closed.BytesSent);
    }

    [Fact]
    public async Task A_client_that_keeps_sending_is_not_closed_and_its_leaving_still_is()
    {
        using var fixture = new SchedulerFixture();
        using var tarpit = TarpitConfigs.Runtime(TestMode.Drip(TimeSpan.FromSeconds(10)));
        var (client, accepted) = fixture.Loopback.Connect(tarpit);
        fixture.Scheduler.Enqueue(accepted);
        fixture.Scheduler.RunOnce();

        client.Send(new byte[1000]);
        Thread.Sleep(20);
        fixture.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, fixture.Scheduler.Held);
        client.Shutdown(System.Net.Sockets.SocketShutdown.Both);
        PassUntilReleased(fixture, TimeSpan.FromSeconds(1));

        Assert.Equal(0, fixture.Scheduler.Held);
        await fixture.DrainEventsAsync();
        Assert.Equal(TimeSpan.FromSeconds(2), Assert.Single(fixture.Sink.OfKind(ConnectionEventKind.Closed)).Duration);
    }

    /// <summary>Moves the clock once, then runs passes (bounded, real time) until the kernel has told the scheduler the client left.</summary>
    private static TimeSpan? PassUntilReleased(SchedulerFixture fixture, TimeSpan by)
    {
        var next = fixture.Advance(by);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (fixture.Scheduler.Held > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
            next = fixture.Scheduler.RunOnce();
        }

        return next;
    }

    /// <summary>Sends nothing, wants no input, steps every interval.</summary>
    private sealed class SilentDiscardSession(TimeSpan interval) : ITarpitSession
    {
        public SessionStep Step(ref SessionContext context)
        {
            context.DiscardInput = true;
            return SessionStep.After(interval);
        }
    }
}
