namespace Tarpit.Tests.Architecture;

/// <summary>The cycles of the graph: Tarjan's strongly connected components, then the shortest cycle through each member.</summary>
internal sealed partial class NamespaceGraph
{
    /// <summary>
    /// Every cycle, as the shortest one through each namespace of each strongly connected component, rotated to start
    /// at its smallest name and without repeats: <c>["Tarpit.Bans", "Tarpit.Store", "Tarpit.Bans"]</c>.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var cycles = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var component in StronglyConnectedComponents().Where(c => c.Count > 1))
        {
            foreach (var start in component.Order(StringComparer.Ordinal))
            {
                var cycle = ShortestCycle(start, component);
                var rotated = Rotate(cycle);
                if (seen.Add(string.Join(" -> ", rotated)))
                {
                    cycles.Add(rotated);
                }
            }
        }

        return cycles;
    }

    private static List<string> Rotate(List<string> cycle)
    {
        var ring = cycle.Take(cycle.Count - 1).ToList();
        var first = ring.IndexOf(ring.Min(StringComparer.Ordinal)!);
        var rotated = ring.Skip(first).Concat(ring.Take(first)).ToList();
        rotated.Add(rotated[0]);
        return rotated;
    }

    private List<string> ShortestCycle(string start, HashSet<string> component)
    {
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var node))
        {
            foreach (var next in Targets(node).Where(component.Contains))
            {
                if (next == start)
                {
                    var path = new List<string> { start };
                    for (var at = node; at != start; at = previous[at])
                    {
                        path.Add(at);
                    }

                    path.Add(start);
                    path.Reverse();
                    return path;
                }

                if (previous.TryAdd(next, node))
                {
                    queue.Enqueue(next);
                }
            }
        }

        throw new InvalidOperationException($"{start} is in a strongly connected component but on no cycle");
    }

    // Tarjan's algorithm; the graph has a few dozen nodes, so recursion depth is no concern.
    private List<HashSet<string>> StronglyConnectedComponents()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<HashSet<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in Targets(node))
            {
                if (!index.TryGetValue(next, out var nextIndex))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], nextIndex);
                }
            }

            if (low[node] == index[node])
            {
                var component = new HashSet<string>(StringComparer.Ordinal);
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                components.Add(component);
            }
        }

        foreach (var node in Namespaces.Union(_edges.Keys, StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;
    }
}
