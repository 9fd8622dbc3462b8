using System.Text;
using Tarpit.Metrics;

namespace Tarpit.Tests.Metrics;

/// <summary>What a scrape of an <see cref="AgentMetrics"/> returns, parsed into samples and <c># TYPE</c> lines.</summary>
internal sealed record Exposition(string Text, IReadOnlyList<(string Name, string Labels, double Value)> Samples, IReadOnlyDictionary<string, string> Types)
{
    public static async Task<Exposition> ScrapeAsync(AgentMetrics metrics, bool openMetrics = false)
    {
        using var stream = new MemoryStream();
        await metrics.WriteAsync(stream, openMetrics, CancellationToken.None);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        var samples = new List<(string, string, double)>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            var series = line[..space];
            var brace = series.IndexOf('{', StringComparison.Ordinal);
            var name = brace < 0 ? series : series[..brace];
            var labels = brace < 0 ? "" : series[(brace + 1)..^1];
            samples.Add((name, labels, double.Parse(line[(space + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new Exposition(text, samples, types);
    }

    /// <summary>The value of the one sample with this name and exactly these labels (as written, e.g. <c>tarpit="ssh",protocol="ssh"</c>).</summary>
    public double Value(string name, string labels = "") =>
        Assert.Single(Samples, s => s.Name == name && s.Labels == labels).Value;

    public int SeriesOf(string name) => Samples.Count(s => s.Name == name);
}
