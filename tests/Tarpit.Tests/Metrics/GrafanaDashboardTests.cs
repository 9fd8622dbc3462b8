using System.Text.Json;
using System.Text.RegularExpressions;
using Tarpit.Metrics;

namespace Tarpit.Tests.Metrics;

/// <summary>
/// Issue 18, section 1: <c>contrib/grafana/tarpit-agent.json</c> parses, and every metric named in every expression
/// is one the agent exports, taken from the one definition (<see cref="AgentMetrics.Names"/>), never a copied list.
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    /// <summary>The series Prometheus derives from a histogram's name.</summary>
    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tarpit.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Tarpit.sln not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> Expressions(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p =>
            p.Name == "expr" && p.Value.ValueKind == JsonValueKind.String ? [p.Value.GetString()!] : Expressions(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Expressions),
        _ => [],
    };

    [Fact]
    public void Every_expression_in_the_dashboard_names_only_metrics_the_agent_exports()
    {
        var exported = new AgentMetrics("0").Names.ToHashSet(StringComparer.Ordinal);
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "contrib", "grafana", "tarpit-agent.json")));

        var expressions = Expressions(dashboard.RootElement).ToList();
        var named = expressions.SelectMany(e => MetricNameRegex().Matches(e).Select(m => (Expression: e, Name: m.Value))).ToList();

        Assert.True(expressions.Count >= 10, $"only {expressions.Count} expressions");
        Assert.All(expressions, e => Assert.Matches(MetricNameRegex(), e));
        var unknown = named
            .Where(n => !exported.Contains(n.Name) && !HistogramSuffixes.Any(s => n.Name.EndsWith(s, StringComparison.Ordinal) && exported.Contains(n.Name[..^s.Length])))
            .Select(n => $"{n.Name} in {n.Expression}")
            .ToList();
        Assert.True(unknown.Count == 0, "metrics the agent does not export:\n" + string.Join('\n', unknown));
    }

    [Fact]
    public void The_dashboard_has_the_panels_the_issue_asks_for()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "contrib", "grafana", "tarpit-agent.json")));

        var titles = dashboard.RootElement.GetProperty("panels").EnumerateArray().Select(p => p.GetProperty("title").GetString()!).ToList();

        Assert.Equal("tarpit-agent", dashboard.RootElement.GetProperty("uid").GetString());
        Assert.Contains("Held now", titles);
        Assert.Contains("Attacker-hours wasted per day", titles);
        Assert.Contains("Bans per hour by source", titles);
        Assert.Contains(titles, t => t.StartsWith("Top ban sources", StringComparison.Ordinal));
        Assert.Contains("nft batch latency", titles);
        Assert.Contains(titles, t => t.StartsWith("Watch health", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\btarpit_[a-z_]+\b")]
    private static partial Regex MetricNameRegex();
}
