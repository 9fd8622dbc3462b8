using Tarpit.Detection.Filters;

namespace Tarpit.Tests.Detection;

/// <summary>A filter with a bug: throws on every line containing <see cref="Trigger"/>, judges the rest as sshd does.</summary>
internal sealed class ThrowingFilter : ILogFilter
{
    public const string Trigger = "boom";

    private readonly SshdFilter _sshd = new();

    public string Name => "throwing";

    public FilterMatch Match(in LogView line) =>
        line.Line.Contains(Trigger, StringComparison.Ordinal)
            ? throw new InvalidOperationException("the filter has a bug")
            : _sshd.Match(line);

    public bool LooksRelevant(in LogView line) => false;
}
