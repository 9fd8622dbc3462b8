namespace Tarpit.SystemTests.Infrastructure;

/// <summary>
/// A system test: skipped with the reason on a developer box that lacks root or a tool, never skipped under CI.
/// The test body calls <see cref="Prerequisites.Require"/> so that CI fails with the same reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SystemFactAttribute : FactAttribute
{
    public SystemFactAttribute(bool needsRoot, params string[] tools)
    {
        NeedsRoot = needsRoot;
        Tools = tools;
        if (!Prerequisites.IsCi && Prerequisites.Missing(needsRoot, tools) is { } reason)
        {
            Skip = reason;
        }
    }

    public bool NeedsRoot { get; }

    public IReadOnlyList<string> Tools { get; }
}
