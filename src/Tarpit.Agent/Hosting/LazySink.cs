using Serilog.Core;
using Serilog.Events;

namespace Tarpit.Agent.Hosting;

/// <summary>
/// A sink built when the first event reaches it. A verb logs only warnings and errors and most runs have none, so
/// <c>tarpit-agent ban</c> (run by fail2ban once per ban) does not pay for a console sink it never writes to.
/// </summary>
internal sealed class LazySink(Func<Logger> create) : ILogEventSink, IDisposable
{
    private readonly Lazy<Logger> _inner = new(create, LazyThreadSafetyMode.ExecutionAndPublication);

    public void Emit(LogEvent logEvent) => _inner.Value.Write(logEvent);

    public void Dispose()
    {
        if (_inner.IsValueCreated)
        {
            _inner.Value.Dispose();
        }
    }
}
