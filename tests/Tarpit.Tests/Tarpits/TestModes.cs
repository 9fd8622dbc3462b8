using System.Text;
using Tarpit.Tarpits;

namespace Tarpit.Tests.Tarpits;

/// <summary>A mode for engine tests: opens sessions through a delegate, so a test picks the behaviour it needs.</summary>
internal sealed class TestMode(string name, Func<SessionOpen, ITarpitSession> open) : ITarpitMode
{
    public List<SessionOpen> Opened { get; } = [];

    public string Name => name;

    public ITarpitSession Open(in SessionOpen open1)
    {
        Opened.Add(open1);
        return open(open1);
    }

    /// <summary>Sends one '.' per interval, forever; shown the first drip, the client counts as verified.</summary>
    public static TestMode Drip(TimeSpan interval) => new("test-drip", _ => new DripSession(interval));

    /// <summary>Waits for input; answers "ok:" + what came, or "timeout" when the deadline passes; keeps waiting.</summary>
    public static TestMode Echo(TimeSpan deadline) => new("test-echo", _ => new EchoSession(deadline));
}

/// <summary>One byte per interval.</summary>
internal sealed class DripSession(TimeSpan interval) : ITarpitSession
{
    public int Steps { get; private set; }

    public SessionStep Step(ref SessionContext context)
    {
        Steps++;
        context.Output[0] = (byte)'.';
        context.Written = 1;
        if (Steps == 1)
        {
            context.MarkVerified();
        }

        return SessionStep.After(interval);
    }
}

/// <summary>Echoes what it receives; records it as first bytes and as an observation; publishes each chunk's length.</summary>
internal sealed class EchoSession(TimeSpan deadline) : ITarpitSession
{
    public List<byte[]> Received { get; } = [];

    public int TimedOut { get; private set; }

    public SessionStep Step(ref SessionContext context)
    {
        if (context.InputTimedOut)
        {
            TimedOut++;
            context.Written = Encoding.ASCII.GetBytes("timeout", context.Output);
        }
        else if (!context.Received.IsEmpty)
        {
            Received.Add(context.Received.ToArray());
            context.RecordFirstBytes(context.Received);
            context.MarkVerified();
            context.Observe("test.last", Tarpit.Text.AttackerText.Escape(context.Received));
            context.Publish("test.length", context.Received.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Encoding.ASCII.GetBytes("ok:", context.Output);
            var length = Math.Min(context.Received.Length, 16);
            context.Received[..length].CopyTo(context.Output[3..]);
            context.Written = 3 + length;
        }

        return SessionStep.AwaitInput(deadline);
    }
}

/// <summary>Waits for a line: reads what comes and answers only once a line feed arrived (an HTTP head read as it trickles).</summary>
internal sealed class LineSession(TimeSpan deadline) : ITarpitSession
{
    public int Reads { get; private set; }

    public SessionStep Step(ref SessionContext context)
    {
        if (context.Received.IsEmpty)
        {
            return SessionStep.AwaitInput(deadline);
        }

        Reads++;
        if (context.Received.IndexOf((byte)'\n') < 0)
        {
            return SessionStep.AwaitInput(deadline);
        }

        context.Written = Encoding.ASCII.GetBytes("line", context.Output);
        return SessionStep.AwaitInput(deadline);
    }
}
