namespace Tarpit.Agent.Commands;

/// <summary>Which judged lines <c>test-filter --print</c> writes, one per line with the address charged and why.</summary>
[Flags]
internal enum TestFilterPrint
{
    None = 0,
    Matched = 1,
    Missed = 2,
    Ignored = 4,
    All = Matched | Missed | Ignored,
}
