using System.Reflection;
using Xunit.Abstractions;

namespace Tarpit.Tests.Architecture;

/// <summary>
/// STYLE.md: dependencies point down the pipeline and never form a cycle. The graph is read from the compiled
/// <c>Tarpit</c> assembly (see <see cref="NamespaceGraph"/>), so a call into another namespace counts as much as a
/// field of its type.
/// </summary>
public sealed class NamespaceGraphTests(ITestOutputHelper output)
{
    private static readonly Assembly Library = typeof(OperatorException).Assembly;

    [Fact]
    public void The_namespaces_of_the_Tarpit_library_form_no_cycle()
    {
        var graph = NamespaceGraph.Of(Library, "Tarpit");
        foreach (var (from, to) in graph.Edges)
        {
            output.WriteLine($"{from} -> {to}");
        }

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0, "The namespaces of src/Tarpit depend on each other in a cycle; point the dependency down the pipeline "
            + "(move the shared type to the lower namespace, or pass it in):\n" + string.Join('\n', cycles.Select(c => Describe(graph, c))));
    }

    [Fact]
    public void A_call_in_a_lambda_body_and_a_typeof_count_as_edges_and_close_a_cycle()
    {
        var graph = NamespaceGraph.Of(typeof(NamespaceGraphTests).Assembly, "Tarpit.Tests.Architecture.Samples");

        Assert.Equal(
            [("Tarpit.Tests.Architecture.Samples.Called", "Tarpit.Tests.Architecture.Samples.Calling"), ("Tarpit.Tests.Architecture.Samples.Calling", "Tarpit.Tests.Architecture.Samples.Called")],
            graph.Edges.ToArray());
        var cycle = Assert.Single(graph.Cycles());
        Assert.Equal(["Tarpit.Tests.Architecture.Samples.Called", "Tarpit.Tests.Architecture.Samples.Calling", "Tarpit.Tests.Architecture.Samples.Called"], cycle);
    }

    private static string Describe(NamespaceGraph graph, IReadOnlyList<string> cycle) =>
        "  " + string.Join(" -> ", cycle) + "\n" + string.Join('\n', cycle.Zip(cycle.Skip(1), (from, to) => $"    {from} -> {to}: {graph.Evidence(from, to)}"));
}
