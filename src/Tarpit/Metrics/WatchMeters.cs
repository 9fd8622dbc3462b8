using Prometheus;

namespace Tarpit.Metrics;

/// <summary>One watch's counters, labels bound once: counting a line allocates nothing.</summary>
internal sealed class WatchMeters(Counter.Child read, Counter.Child matched, Counter.Child cut, Counter.Child errors)
{
    public void LineRead() => read.Inc();

    public void LineMatched() => matched.Inc();

    public void LineCut() => cut.Inc();

    public void Failed() => errors.Inc();
}
