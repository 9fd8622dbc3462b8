namespace Tarpit.Bans;

/// <summary>What the ban service did with an unban: the result, a sentence for people, and what became of the bans around or inside it.</summary>
internal sealed record UnbanOutcome(UnbanResult Result, string Message)
{
    /// <summary>True when the target is not redirected by a ban of its own now (lifted, ended before, or never redirected).</summary>
    public bool Succeeded => Result is UnbanResult.Unbanned or UnbanResult.AlreadyEnded or UnbanResult.Allowlisted;

    /// <summary>For people, one line each: the bans inside or around it, which an unban leaves as they are.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
