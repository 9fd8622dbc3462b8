using Tarpit.Linux;

namespace Tarpit.SystemTests.Infrastructure;

/// <summary>
/// What a system test needs from the machine. On a developer box a missing prerequisite skips the test with the
/// reason; under CI (<c>CI=true</c>) it is a failure, so a broken install step cannot hide behind skips.
/// </summary>
internal static class Prerequisites
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsRoot => Environment.UserName == "root" || EffectiveUser.IsRoot;

    /// <summary>The variable tests/run sets to the Native AOT binary it published (README's Install, into a temp dir).</summary>
    public const string AotAgentVariable = "TARPIT_AGENT_AOT";

    /// <summary>The published Native AOT <c>tarpit-agent</c>, or null when tests/run did not pass one that exists.</summary>
    public static string? AotAgent =>
        Environment.GetEnvironmentVariable(AotAgentVariable) is { Length: > 0 } path && File.Exists(path) ? path : null;

    /// <summary>Why the Native AOT binary is not available here, or null when it is.</summary>
    public static string? MissingAotAgent() => AotAgent is not null
        ? null
        : Environment.GetEnvironmentVariable(AotAgentVariable) is { Length: > 0 } path
            ? $"{AotAgentVariable}={path} does not exist"
            : $"no Native AOT binary ({AotAgentVariable} is unset; tests/run publishes one and sets it)";

    /// <summary>The Native AOT binary's path; throws with the reason when there is none (CI reaches this instead of skipping).</summary>
    public static string RequireAotAgent() =>
        AotAgent ?? throw new InvalidOperationException("System test prerequisite missing: " + MissingAotAgent());

    /// <summary>The reason the tools (and root, when asked) are not available here, or null when they all are.</summary>
    public static string? Missing(bool needsRoot, IEnumerable<string> tools)
    {
        var problems = new List<string>();
        if (needsRoot && !IsRoot)
        {
            problems.Add("needs root");
        }

        var missingTools = tools.Where(t => FindOnPath(t) is null).ToList();
        if (missingTools.Count > 0)
        {
            problems.Add("missing " + string.Join(", ", missingTools) + " (tests/run installs them as root)");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>Throws with a clear message when something is missing (CI reaches this instead of skipping).</summary>
    public static void Require(bool needsRoot, params string[] tools)
    {
        if (Missing(needsRoot, tools) is { } reason)
        {
            throw new InvalidOperationException("System test prerequisite missing: " + reason);
        }
    }

    public static string? FindOnPath(string tool)
    {
        if (tool.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(tool) ? tool : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(':').Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
