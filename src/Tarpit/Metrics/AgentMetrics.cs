using Prometheus;

namespace Tarpit.Metrics;

/// <summary>
/// Every metric the agent exports, defined once: name, help, type and labels (the dashboard test reads
/// <see cref="Names"/>). Built only by the daemon, and only with <c>[metrics]</c> in the config: the verbs and a daemon
/// without it pass no instance, and every part checks for null, so they pay nothing. Each instance has its own
/// registry (no process-wide state: tests build their own).
/// <para>
/// Cardinality is bounded by the config, never by attackers: labels are the tarpit (its name, protocol and mode), the
/// watch, the ban source (at most <see cref="MaxSources"/> distinct ones), a reason class, the address family, the
/// kind of ban target, the queue. No label carries an address.
/// </para>
/// <para>
/// The methods are called on the engine's dispatcher thread, the watches' judges, the store and the firewall loop;
/// never per drip on the scheduler thread (the only call there is a refused connection).
/// </para>
/// </summary>
internal sealed partial class AgentMetrics
{
    /// <summary>Distinct ban sources given their own series; later ones are counted as <see cref="OtherSource"/>.</summary>
    public const int MaxSources = 64;

    /// <summary>The source label of the bans past <see cref="MaxSources"/>.</summary>
    public const string OtherSource = "other";

    /// <summary>Connection lengths: a scanner gives up in seconds, a held bot stays minutes to days.</summary>
    public static readonly double[] HeldSecondsBuckets = [1, 10, 60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 86400, 7 * 86400];

    /// <summary>nft batches: a few ms for a verb's elements, tens of ms for the table, more under load.</summary>
    public static readonly double[] NftSecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    /// <summary>SQLite write transactions: sub-millisecond in WAL, up to the busy timeout when another writer holds it.</summary>
    public static readonly double[] StoreSecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 10];

    private static readonly string[] TarpitLabels = ["tarpit", "protocol", "mode"];

    private readonly CollectorRegistry _registry;
    private readonly MetricFactory _factory;
    private readonly List<string> _names = [];

    public AgentMetrics(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        _registry = Prometheus.Metrics.NewCustomRegistry();
        _factory = Prometheus.Metrics.WithCustomRegistry(_registry);

        ConnectionsHeld = Gauge("tarpit_connections_held", "Connections held now.", TarpitLabels);
        ConnectionsAccepted = Counter("tarpit_connections_accepted_total", "Connections accepted and held.", TarpitLabels);
        ConnectionsVerified = Counter("tarpit_connections_verified_total", "Connections whose client proved to be the protocol's client.", TarpitLabels);
        ConnectionsRefused = Counter("tarpit_connections_refused_total", "Connections refused by a cap (reason: max_clients_per_ip, max_clients_per_v6_64).", [.. TarpitLabels, "reason"]);
        BytesSent = Counter("tarpit_bytes_sent_total", "Bytes sent to held clients, counted when a connection ends.", TarpitLabels);
        HeldSeconds = Histogram("tarpit_connection_held_seconds", "How long connections were held, observed when they end.", TarpitLabels, HeldSecondsBuckets);
        BombBytesSent = Counter("tarpit_bomb_bytes_sent_total", "Compressed bytes of bomb bodies sent.", ["tarpit"]);
        BombInflatedBytes = Counter("tarpit_bomb_inflated_bytes_total", "What the bomb bytes sent inflate to.", ["tarpit"]);

        Bans = Counter("tarpit_bans_total", "New bans (incidents; a refresh is not counted), by who asked.", ["source"]);
        BansActive = Gauge("tarpit_bans_active", "Bans in force in the store, by address family (ipv4, ipv6) and kind (address, network).", ["family", "kind"]);
        BansRefused = Counter("tarpit_bans_refused_total", "Ban requests refused by an allowlist (reason: firewall_allow, geoip).", ["reason"]);
        ReconcileRuns = Counter("tarpit_reconcile_runs_total", "Reconciles of the kernel with the store that completed.");
        ReconcileFailures = Counter("tarpit_reconcile_failures_total", "Reconciles that failed (nft or the store); retried with backoff.");
        ReconcileDrift = Counter("tarpit_reconcile_drift_total", "Elements a reconcile found out of step (kind: written, adopted).", ["kind"]);

        NftBatchSeconds = Histogram("tarpit_nft_batch_seconds", "Wall time of one nft -f - batch.", [], NftSecondsBuckets);
        NftBatchFailures = Counter("tarpit_nft_batch_failures_total", "nft batches that exited non-zero or could not run.");

        WatchLinesRead = Counter("tarpit_watch_lines_read_total", "Log lines a watch read and judged.", ["watch"]);
        WatchLinesMatched = Counter("tarpit_watch_lines_matched_total", "Log lines a watch's filter found an offence in.", ["watch"]);
        WatchLinesCut = Counter("tarpit_watch_lines_cut_total", "Log lines over the length bound: cut and never judged.", ["watch"]);
        WatchErrors = Counter("tarpit_watch_errors_total", "Failures of a watch's source or judge (journal, file): restarted after a pause.", ["watch"]);

        StoreWriteSeconds = Histogram("tarpit_store_write_seconds", "Wall time of one store write transaction, lock wait included.", [], StoreSecondsBuckets);
        StoreWriteErrors = Counter("tarpit_store_write_errors_total", "Store write transactions that failed.");

        Reports = Counter("tarpit_abuseipdb_reports_total", "AbuseIPDB reports by outcome (queued, skipped_interval, dropped_full, sent, duplicate, retried, rate_limited, failed).", ["outcome"]);
        ReportsQueued = Gauge("tarpit_abuseipdb_queued", "AbuseIPDB reports waiting in the outbox.", []);
        ReportBudgetSpent = Gauge("tarpit_abuseipdb_budget_spent", "1 while the UTC day's AbuseIPDB budget is spent (reporting waits for the next day), else 0.", []);

        EventsDropped = Counter("tarpit_events_dropped_total", "Items a queue dropped because it was full (kind: the queue).", ["kind"]);
        BuildInfo = Gauge("tarpit_build_info", "Always 1; the agent's version as a label.", ["version"]);
        BuildInfo.WithLabels(version).Set(1);
    }

    /// <summary>Every metric name this instance exports (counters with their <c>_total</c>), in definition order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The registry, for the exposition (<see cref="MetricsEndpoint"/>) and tests.</summary>
    internal CollectorRegistry Registry => _registry;

    internal Gauge ConnectionsHeld { get; }

    internal Counter ConnectionsAccepted { get; }

    internal Counter ConnectionsVerified { get; }

    internal Counter ConnectionsRefused { get; }

    internal Counter BytesSent { get; }

    internal Histogram HeldSeconds { get; }

    internal Counter BombBytesSent { get; }

    internal Counter BombInflatedBytes { get; }

    internal Counter Bans { get; }

    internal Gauge BansActive { get; }

    internal Counter BansRefused { get; }

    internal Counter ReconcileRuns { get; }

    internal Counter ReconcileFailures { get; }

    internal Counter ReconcileDrift { get; }

    internal Histogram NftBatchSeconds { get; }

    internal Counter NftBatchFailures { get; }

    internal Counter WatchLinesRead { get; }

    internal Counter WatchLinesMatched { get; }

    internal Counter WatchLinesCut { get; }

    internal Counter WatchErrors { get; }

    internal Histogram StoreWriteSeconds { get; }

    internal Counter StoreWriteErrors { get; }

    internal Counter Reports { get; }

    internal Gauge ReportsQueued { get; }

    internal Gauge ReportBudgetSpent { get; }

    internal Counter EventsDropped { get; }

    internal Gauge BuildInfo { get; }

    /// <summary>Runs <paramref name="update"/> before every scrape: gauges read from a part (bans in force) and counters it keeps itself (queue drops).</summary>
    public void BeforeScrape(Action update) => _registry.AddBeforeCollectCallback(update);

    /// <summary>The exposition: Prometheus text, or OpenMetrics when asked.</summary>
    public Task WriteAsync(Stream destination, bool openMetrics, CancellationToken cancellationToken) =>
        _registry.CollectAndExportAsTextAsync(
            destination,
            openMetrics ? ExpositionFormat.OpenMetricsText : ExpositionFormat.PrometheusText,
            cancellationToken);

    private Counter Counter(string name, string help, string[]? labels = null)
    {
        _names.Add(name);
        return _factory.CreateCounter(name, help, new CounterConfiguration { LabelNames = labels ?? [], SuppressInitialValue = labels is { Length: > 0 } });
    }

    private Gauge Gauge(string name, string help, string[] labels)
    {
        _names.Add(name);
        return _factory.CreateGauge(name, help, new GaugeConfiguration { LabelNames = labels });
    }

    private Histogram Histogram(string name, string help, string[] labels, double[] buckets)
    {
        _names.Add(name);
        return _factory.CreateHistogram(name, help, new HistogramConfiguration { LabelNames = labels, Buckets = buckets });
    }
}
