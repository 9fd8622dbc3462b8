using System.Globalization;
using System.Net;
using Serilog;
using Serilog.Events;
using Tarpit.Geo;

namespace Tarpit.Tarpits.Events;

/// <summary>
/// The connection log. A finished connection of a client that matters (verified, redirected by a ban, or a decoy hit)
/// gets its own Information line, at most <see cref="MaxLinesPerInterval"/> per <see cref="SummaryInterval"/>; the
/// finished connections of unverified scanners are counted instead, and summarised in one line per interval
/// ("Held 1234 connections from 56 addresses in the last 60 s (ssh 1000, http 234)…"), so a connection flood cannot
/// push the agent's ban and error lines out of a rate-limited journal (journald drops a service's lines past its
/// burst). Opened/Verified/Observed go to Debug (the lines are <see cref="EventsLog"/>'s). Every string from the
/// client arrives escaped and truncated. With a <see cref="GeoLookup"/>, the Opened and individual Closed lines carry
/// <c>CountryCode</c>, <c>Asn</c> and <c>AsnOrganization</c> (a cached lookup on the dispatcher thread).
/// </summary>
internal sealed class ConnectionLogSink(ILogger log, GeoLookup? geo = null, TimeProvider? time = null) : IConnectionEventSink
{
    /// <summary>How often scanners are summarised, and the window of <see cref="MaxLinesPerInterval"/>.</summary>
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Individual lines per interval (10 a second): well inside journald's default burst (10,000 per 30 s per service),
    /// so the lines that follow a flood (bans, errors) are still written. The rest are counted in the summary.
    /// </summary>
    public const int MaxLinesPerInterval = 600;

    /// <summary>Distinct addresses counted per interval; a summary past it says "at least".</summary>
    public const int MaxCountedAddresses = 100_000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly HashSet<IPAddress> _addresses = [];
    private readonly SortedDictionary<string, long> _byProtocol = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _intervalEnd = DateTimeOffset.MinValue;
    private long _scanners;
    private long _individual;
    private long _suppressed;

    public void Handle(ConnectionEvent connectionEvent)
    {
        ArgumentNullException.ThrowIfNull(connectionEvent);
        var e = connectionEvent;
        switch (e.Kind)
        {
            case ConnectionEventKind.Opened:
                // Look up only when the Debug line is written: most agents run at Information.
                EventsLog.Holding(log.IsEnabled(LogEventLevel.Debug) ? Enriched(e) : log, e);
                break;
            case ConnectionEventKind.Verified:
                EventsLog.Verified(log, e);
                break;
            case ConnectionEventKind.Observed:
                EventsLog.Observed(log, e);
                break;
            case ConnectionEventKind.Closed:
                Closed(e);
                break;
        }
    }

    /// <summary>Writes the summary every <see cref="SummaryInterval"/> until <see cref="Complete"/>, then the last one.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!_completed.Task.IsCompleted)
        {
            try
            {
                await Task.WhenAny(Task.Delay(SummaryInterval, _time, cancellationToken), _completed.Task);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            lock (_lock)
            {
                if (_time.GetUtcNow() >= _intervalEnd)
                {
                    Summarise();
                }
            }
        }

        lock (_lock)
        {
            Summarise();
        }
    }

    /// <summary>No more events: <see cref="RunAsync"/> writes the last summary and returns.</summary>
    public void Complete() => _completed.TrySetResult();

    private void Closed(ConnectionEvent e)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (now >= _intervalEnd)
            {
                Summarise();
                _intervalEnd = now + SummaryInterval;
            }

            if (!(e.Verified || e.Redirected || e.Decoy))
            {
                _scanners++;
                _byProtocol[e.Protocol] = _byProtocol.GetValueOrDefault(e.Protocol) + 1;
                if (_addresses.Count < MaxCountedAddresses)
                {
                    _addresses.Add(e.Remote.Address);
                }

                return;
            }

            if (_individual >= MaxLinesPerInterval)
            {
                _suppressed++;
                return;
            }

            _individual++;
        }

        EventsLog.Released(Enriched(e), e);
    }

    /// <summary>The summary of the interval that ended, if anything happened in it; then the counts start again. Under the lock.</summary>
    private void Summarise()
    {
        if (_scanners > 0 || _suppressed > 0)
        {
            var protocols = string.Join(", ", _byProtocol.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value}")));
            EventsLog.ScannersHeld(
                log,
                _scanners,
                _addresses.Count >= MaxCountedAddresses ? $"at least {MaxCountedAddresses}" : _addresses.Count.ToString(CultureInfo.InvariantCulture),
                SummaryInterval.TotalSeconds,
                protocols.Length == 0 ? "none" : protocols,
                _individual,
                _suppressed);
        }

        _scanners = 0;
        _individual = 0;
        _suppressed = 0;
        _addresses.Clear();
        _byProtocol.Clear();
    }

    private ILogger Enriched(ConnectionEvent e) => geo is null ? log : geo.Enrich(log, e.Remote.Address);
}
