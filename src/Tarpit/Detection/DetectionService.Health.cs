namespace Tarpit.Detection;

/// <summary>The watches' health: what <c>status</c> shows, and the one warning a watch that falls silent gets.</summary>
internal sealed partial class DetectionService
{
    /// <summary>Every running watch as it is now, in config order.</summary>
    public IReadOnlyList<WatchStatus> Health()
    {
        var now = _time.GetUtcNow();
        List<RunningWatch> running;
        lock (_running)
        {
            running = [.. _running.Values];
        }

        return [.. running.Select(w => new WatchStatus(
            w.Watch.Name,
            w.Source.Description,
            w.Watch.Filter,
            w.Source.Health.Found,
            w.Source.Health.Lines,
            w.Source.Health.LinesPerSecond(now),
            w.Source.Health.LastLineAt,
            w.Source.CutLines,
            w.Source.Health.Describe(now)))];
    }

    private void CheckSilence()
    {
        var now = _time.GetUtcNow();
        List<RunningWatch> running;
        lock (_running)
        {
            running = [.. _running.Values];
        }

        foreach (var watch in running)
        {
            if (watch.Source.Health.CheckSilence(now, out var recovered))
            {
                DetectionLog.WatchSilent(_log, watch.Source.Description, watch.Watch.Name, watch.Source.Health.Describe(now) ?? "silent");
            }
            else if (recovered)
            {
                DetectionLog.WatchTalking(_log, watch.Source.Description, watch.Watch.Name);
            }
        }
    }
}
