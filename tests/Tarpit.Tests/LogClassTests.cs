using System.Text.RegularExpressions;

namespace Tarpit.Tests;

/// <summary>
/// Guards the house rule "log message templates in one static class per folder" (Kestrel's <c>SocketsLog</c>): every
/// Serilog call in src/ is in a <c>*Log.cs</c> file, each such file is one static class of its name, at most one per
/// folder, and none builds a template at run time.
/// </summary>
public sealed partial class LogClassTests
{
    /// <summary>
    /// The lines that look like a Serilog call but write nothing, and why they may stay where they are. Keep this short:
    /// a new message belongs in its folder's log class.
    /// </summary>
    private static readonly (Regex Line, string Reason)[] Allowed =
    [
        (MinimumLevelRegex(), "LoggerConfiguration.MinimumLevel.X() sets a level; it writes no message"),
    ];

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tarpit.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Tarpit.sln not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> SourceFiles()
    {
        var root = RepoRoot();
        return Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))
            .Order(StringComparer.Ordinal);
    }

    private static string Relative(string path) => Path.GetRelativePath(RepoRoot(), path).Replace('\\', '/');

    private static bool IsLogClassFile(string path) => Path.GetFileName(path).EndsWith("Log.cs", StringComparison.Ordinal);

    /// <summary>The code of each line, with whole-line comments (// and ///) left out.</summary>
    private static IEnumerable<(int Number, string Text)> CodeLines(string path) =>
        File.ReadLines(path)
            .Select((text, i) => (Number: i + 1, Text: text))
            .Where(l => !l.Text.TrimStart().StartsWith("//", StringComparison.Ordinal));

    [Fact]
    public void Every_Serilog_call_in_src_is_in_its_folders_log_class()
    {
        var offenders = SourceFiles()
            .Where(f => !IsLogClassFile(f))
            .SelectMany(f => CodeLines(f)
                .Where(l => SerilogCallRegex().IsMatch(l.Text) && !Allowed.Any(a => a.Line.IsMatch(l.Text)))
                .Select(l => $"{Relative(f)}:{l.Number}: {l.Text.Trim()}"))
            .ToList();

        Assert.True(
            offenders.Count == 0,
            "Serilog calls outside a *Log.cs class; move each message into its folder's static log class (e.g. Bans/BansLog.cs) and call it:"
                + Environment.NewLine + string.Join(Environment.NewLine, offenders));
    }

    [Fact]
    public void Each_log_class_file_is_one_static_class_of_its_name_and_at_most_one_per_folder()
    {
        var logFiles = SourceFiles().Where(IsLogClassFile).ToList();

        var problems = new List<string>();
        foreach (var file in logFiles)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var text = File.ReadAllText(file);
            if (!text.Contains($"internal static class {name}\n", StringComparison.Ordinal)
                && !text.Contains($"internal static class {name}\r\n", StringComparison.Ordinal))
            {
                problems.Add($"{Relative(file)}: expected 'internal static class {name}'");
            }
        }

        problems.AddRange(logFiles
            .GroupBy(f => Path.GetDirectoryName(f)!, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"{Relative(g.Key)}: more than one log class ({string.Join(", ", g.Select(Path.GetFileName))}); keep one per folder"));

        Assert.NotEmpty(logFiles);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void No_log_class_builds_a_template_at_run_time()
    {
        // Serilog caches parsed templates by their text: an interpolated or concatenated value makes every call a new
        // template (and loses the property). Constants joined with + are folded by the compiler and are fine.
        var offenders = SourceFiles()
            .Where(IsLogClassFile)
            .SelectMany(f => CodeLines(f)
                .Where(l => l.Text.Contains("$\"", StringComparison.Ordinal) || RuntimeConcatenationRegex().IsMatch(l.Text))
                .Select(l => $"{Relative(f)}:{l.Number}: {l.Text.Trim()}"))
            .ToList();

        Assert.True(
            offenders.Count == 0,
            "Log templates built at run time; use a {Property} instead:" + Environment.NewLine + string.Join(Environment.NewLine, offenders));
    }

    [GeneratedRegex(@"\.(Verbose|Debug|Information|Warning|Error|Fatal)\(|\.Write\(\s*LogEventLevel\.")]
    private static partial Regex SerilogCallRegex();

    [GeneratedRegex(@"\bMinimumLevel\s*\.\s*(Verbose|Debug|Information|Warning|Error|Fatal)\(\s*\)")]
    private static partial Regex MinimumLevelRegex();

    /// <summary>A string literal joined with a parameter or local (camelCase), not with a PascalCase constant.</summary>
    [GeneratedRegex(@"""\s*\+\s*[a-z_]|\b[a-z_][A-Za-z0-9_]*\s*\+\s*""")]
    private static partial Regex RuntimeConcatenationRegex();
}
