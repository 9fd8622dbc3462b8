using System.Runtime.InteropServices;

namespace Tarpit.Agent;

/// <summary>
/// SIGINT and SIGTERM for every verb and the daemon, owned here rather than by System.CommandLine: its handler cancels
/// the token and then, when the action has not finished within its <c>ProcessTerminationTimeout</c> (2 s), returns
/// 130/143 from <c>Main</c> while the action still runs. A daemon draining thousands of held connections, or a verb on a
/// loaded box, takes longer than that, and the forced exit skipped the store's close and turned <c>sessions --watch</c>'s
/// documented Ctrl-C exit 0 into 130. Here the first signal only cancels the token the verb runs with, and the verb ends
/// the way it says it does (<see cref="CliBoundary"/>: 0 for <c>--watch</c>, <see cref="ExitCodes.Interrupted"/>
/// otherwise); a second signal takes the signal's default action, so an operator can always force it.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _received;

    private TerminationSignals(CancellationToken outer)
    {
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first SIGINT or SIGTERM, or by the caller's token.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Starts listening for SIGINT and SIGTERM, linked to <paramref name="cancellationToken"/>.</summary>
    public static TerminationSignals Listen(CancellationToken cancellationToken) => new(cancellationToken);

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _received) > 1)
        {
            // The second one: the default action (the process ends by the signal).
            return;
        }

        context.Cancel = true;
        _cancellation.Cancel();
    }
}
