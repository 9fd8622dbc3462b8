namespace Tarpit.SystemTests.Infrastructure;

/// <summary>
/// A system test: skipped with the reason on a developer box that lacks root or a tool, never skipped under CI.
/// The test body calls <see cref="Prerequisites.Require"/> so that CI fails with the same reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SystemFactAttribute : FactAttribute
{
    private bool _needsAotAgent;

    public SystemFactAttribute(bool needsRoot, params string[] tools)
    {
        NeedsRoot = needsRoot;
        Tools = tools;
        UpdateSkip();
    }

    public bool NeedsRoot { get; }

    public IReadOnlyList<string> Tools { get; }

    /// <summary>The test runs the published Native AOT binary (<see cref="AgentBinary.Aot"/>), which tests/run passes in.</summary>
    public bool NeedsAotAgent
    {
        get => _needsAotAgent;
        set
        {
            _needsAotAgent = value;
            UpdateSkip();
        }
    }

    private void UpdateSkip()
    {
        var reasons = new[] { Prerequisites.Missing(NeedsRoot, Tools), NeedsAotAgent ? Prerequisites.MissingAotAgent() : null }.OfType<string>().ToArray();
        Skip = Prerequisites.IsCi || reasons.Length == 0 ? null : string.Join("; ", reasons);
    }
}
