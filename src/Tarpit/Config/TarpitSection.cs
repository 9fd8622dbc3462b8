using System.Net;
using System.Text.RegularExpressions;
using Tomlyn.Syntax;

namespace Tarpit.Config;

/// <summary>Reads one <c>[[tarpit]]</c>: the keys every protocol shares. Protocol-specific keys are in the partial.</summary>
internal static partial class TarpitSection
{
    public static readonly IReadOnlyList<string> Keys =
    [
        "name", "protocol", "mode", "listen", "redirect_ports", "decoy", "verify_client", "probe_delay", "interval",
        "jitter", "drip_bytes", "max_hold", "max_clients", "max_clients_per_ip", "max_clients_per_v6_64", "banner", "content_length", "bomb_size",
        "realm", "trusted_proxies", "proxy_protocol", "host_keys", "host_key_dir",
    ];

    public const string NamePattern = "[a-z0-9_-]{1,32}";
    public const int MaxDripBytes = 1024;
    public const int MaxClientsLimit = 1_000_000;

    /// <summary>
    /// The longest <c>probe_delay</c> and <c>interval</c>: the scheduler sleeps until the next due connection with
    /// <c>ManualResetEventSlim.Wait(TimeSpan)</c> and <c>ITimer.Change</c>, which throw above <c>int.MaxValue</c> ms
    /// (24.8 days), and jitter stretches a step to almost twice its length. A day is far beyond any client's patience.
    /// </summary>
    public static readonly TimeSpan MaxStepDelay = TimeSpan.FromDays(1);

    public static readonly TimeSpan DefaultProbeDelay = TimeSpan.FromSeconds(3);

    /// <summary>
    /// ssh's default: sshd sends its banner at once (a fork and a re-exec: ~10-200 ms), and every real SSH client sends
    /// its identification string on connect, so a silent client waiting seconds for the banner would see a tarpit.
    /// </summary>
    public static readonly TimeSpan DefaultSshProbeDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>The <c>probe_delay</c> of a tarpit whose table sets none.</summary>
    public static TimeSpan DefaultProbeDelayFor(TarpitProtocol protocol) => protocol is TarpitProtocol.Ssh ? DefaultSshProbeDelay : DefaultProbeDelay;
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultMaxHold = TimeSpan.FromHours(24);
    public const double DefaultJitter = 0.5;
    public const int DefaultDripBytes = 4;
    public const int DefaultMaxClients = 8192;
    public const int DefaultMaxClientsPerIp = 16;

    /// <summary>
    /// Connections held at once from one IPv6 /64 (what one subscriber or one server is routed: max_clients_per_ip
    /// alone lets a /64 open unlimited connections from its 2^64 addresses). Four hosts' worth of max_clients_per_ip.
    /// </summary>
    public const int DefaultMaxClientsPerV6Prefix = 4 * DefaultMaxClientsPerIp;

    public static TarpitEntry Read(TomlTableView table)
    {
        var name = ReadName(table, "tarpit", out var namePosition);
        var protocol = ReadProtocol(table);
        var effective = protocol ?? TarpitProtocol.Ssh;
        var mode = ReadMode(table, protocol);
        var (listen, listenPositions) = ReadListen(table);
        var (redirectPorts, redirectPositions) = ReadRedirectPorts(table, protocol);
        var decoy = table.GetBool("decoy", false);
        var verifyClient = table.GetBool("verify_client", true);
        var probeDelay = table.GetDuration("probe_delay", DefaultProbeDelayFor(effective), MaxStepDelay);
        var interval = table.GetDuration("interval", DefaultInterval, MaxStepDelay);
        var jitter = table.GetDouble("jitter", DefaultJitter, j => j is >= 0 and < 1, "0.0 <= jitter < 1.0");
        var dripBytes = table.GetInt("drip_bytes", DefaultDripBytes, 1, MaxDripBytes);
        var maxHold = table.GetDuration("max_hold", DefaultMaxHold);
        if (interval > maxHold)
        {
            table.Diagnostics.Add(
                table.KeyPosition(table.Has("interval") ? "interval" : "max_hold"),
                $"'interval' ({DurationSyntax.Format(interval)}) is longer than 'max_hold' ({DurationSyntax.Format(maxHold)}); a connection would be closed before its first drip");
        }

        var maxClients = table.GetInt("max_clients", DefaultMaxClients, 1, MaxClientsLimit);
        var maxPerIp = table.GetInt("max_clients_per_ip", Math.Min(DefaultMaxClientsPerIp, maxClients), 1, maxClients);
        var maxPerV6Prefix = table.GetInt("max_clients_per_v6_64", Math.Max(maxPerIp, Math.Min(DefaultMaxClientsPerV6Prefix, maxClients)), maxPerIp, maxClients);
        var banner = ReadBanner(table, protocol, redirectPorts);
        var http = ReadHttpOptions(table, protocol);
        var hostKeys = ReadHostKeys(table, protocol);
        var trustedProxies = table.GetNetworks("trusted_proxies", []);
        var proxyProtocol = table.GetBool("proxy_protocol", false);
        if (proxyProtocol && trustedProxies.Count == 0)
        {
            table.Diagnostics.Add(
                table.KeyPosition("proxy_protocol"),
                "'proxy_protocol' is true but 'trusted_proxies' is empty: only a trusted proxy may send a PROXY header; list the proxy's address, e.g. trusted_proxies = [\"127.0.0.1/32\"], or set proxy_protocol = false");
        }

        table.ReportUnknownKeys(Keys);
        var config = new TarpitConfig(
            name, effective, mode ?? ModeCatalog.Default(effective), listen, redirectPorts, decoy, verifyClient, probeDelay,
            banner, interval, jitter, dripBytes, maxHold, maxClients, maxPerIp, http)
        {
            MaxClientsPerV6Prefix = maxPerV6Prefix,
            TrustedProxies = trustedProxies,
            ProxyProtocol = proxyProtocol,
            SshHostKeys = hostKeys,
        };
        return new TarpitEntry(config, table.Header, namePosition, listenPositions, redirectPositions);
    }

    /// <summary>The required, pattern-checked <c>name</c> of a <c>[[tarpit]]</c> or <c>[[watch]]</c>; "" when missing or bad.</summary>
    public static string ReadName(TomlTableView table, string example, out TextPosition position)
    {
        position = table.Header;
        var name = table.GetString("name", out var node);
        if (node is null)
        {
            table.ReportMissing("name", TomlText.Quote(example));
            return string.Empty;
        }

        position = node.Span.Start;
        if (name is null)
        {
            return string.Empty;
        }

        if (!NameRegex().IsMatch(name))
        {
            table.Diagnostics.Add(node, $"'name' is not a valid name: found {TomlText.Quote(name)}, expected 1-32 of a-z, 0-9, '_' and '-' ({NamePattern})");
            return string.Empty;
        }

        return name;
    }

    private static TarpitProtocol? ReadProtocol(TomlTableView table)
    {
        var text = table.GetString("protocol", out var node);
        if (node is null)
        {
            table.ReportMissing("protocol", "\"ssh\" (or \"http\", \"tls\")");
            return null;
        }

        if (text is null)
        {
            return null;
        }

        if (!ModeCatalog.TryParseProtocol(text, out var protocol))
        {
            table.Diagnostics.Add(node, $"unknown protocol {TomlText.Quote(text)}; allowed: ssh, http, tls");
            return null;
        }

        return protocol;
    }

    private static string? ReadMode(TomlTableView table, TarpitProtocol? protocol)
    {
        var text = table.GetString("mode", out var node);
        if (text is null || node is null || protocol is not { } known)
        {
            return null;
        }

        var allowed = ModeCatalog.For(known);
        if (!allowed.Contains(text))
        {
            table.Diagnostics.Add(node, $"unknown mode {TomlText.Quote(text)} for protocol = \"{ModeCatalog.Name(known)}\"; allowed: {string.Join(", ", allowed)}");
            return null;
        }

        return text;
    }

    private static (IReadOnlyList<IPEndPoint>, IReadOnlyList<TextPosition>) ReadListen(TomlTableView table)
    {
        if (!table.Has("listen"))
        {
            table.ReportMissing("listen", "[\"[::]:2222\"]");
        }

        var items = table.GetArray("listen");
        if (items is null)
        {
            return ([], []);
        }

        if (items.Count == 0)
        {
            table.Diagnostics.Add(table.KeyPosition("listen"), $"'listen' is empty; give at least one address: {ListenSyntax.Allowed}");
        }

        var endPoints = new List<IPEndPoint>();
        var positions = new List<TextPosition>();
        foreach (var item in items)
        {
            if (item is not StringValueSyntax s)
            {
                table.Diagnostics.Add(item, $"'listen' entries must be strings: found {TomlText.Describe(item)}, expected {ListenSyntax.Allowed}");
            }
            else if (!ListenSyntax.TryParse(s.Value ?? string.Empty, out var endPoint, out var problem))
            {
                table.Diagnostics.Add(item, problem);
            }
            else
            {
                endPoints.Add(endPoint);
                positions.Add(item.Span.Start);
            }
        }

        return ([.. endPoints], [.. positions]);
    }

    private static (IReadOnlyList<int>, IReadOnlyList<TextPosition>) ReadRedirectPorts(TomlTableView table, TarpitProtocol? protocol)
    {
        var items = table.GetArray("redirect_ports");
        if (items is null)
        {
            // The standard port of the protocol; conflicts over it are reported at the table header.
            return protocol is { } known ? ([ModeCatalog.StandardPort(known)], [table.Header]) : ([], []);
        }

        var ports = new List<int>();
        var positions = new List<TextPosition>();
        foreach (var item in items)
        {
            if (item is not IntegerValueSyntax i)
            {
                table.Diagnostics.Add(item, $"'redirect_ports' entries must be integers: found {TomlText.Describe(item)}, expected a port {ListenSyntax.MinPort}-{ListenSyntax.MaxPort}");
            }
            else if (i.Value is < ListenSyntax.MinPort or > ListenSyntax.MaxPort)
            {
                table.Diagnostics.Add(item, $"redirect port {i.Value} is out of range; allowed {ListenSyntax.MinPort}-{ListenSyntax.MaxPort}");
            }
            else if (ports.Contains((int)i.Value))
            {
                table.Diagnostics.Add(item, $"redirect port {i.Value} is listed twice in this tarpit; list each port once");
            }
            else
            {
                ports.Add((int)i.Value);
                positions.Add(item.Span.Start);
            }
        }

        return ([.. ports], [.. positions]);
    }

    [GeneratedRegex("^" + NamePattern + @"\z")]
    private static partial Regex NameRegex();
}
