using Tarpit.Agent;

namespace Tarpit.Tests.Hosting;

/// <summary>The signals themselves are sent to real agent processes in the system tests (SessionsWatchSignalTests): not to this test host.</summary>
public sealed class TerminationSignalsTests
{
    [Fact]
    public void The_callers_token_cancels_it_too()
    {
        using var outer = new CancellationTokenSource();
        using var signals = TerminationSignals.Listen(outer.Token);
        Assert.False(signals.Token.IsCancellationRequested);
        outer.Cancel();
        Assert.True(signals.Token.IsCancellationRequested);
    }
}
