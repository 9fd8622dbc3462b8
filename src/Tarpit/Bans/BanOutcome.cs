namespace Tarpit.Bans;

/// <summary>What the ban service did with a <see cref="BanRequest"/>.</summary>
/// <param name="Applied">True when the address is now redirected (or would be, when the firewall is off).</param>
/// <param name="Message">For people: "banned 192.0.2.2 for 2h (ban #2)", or why it was refused (allowlisted by …).</param>
/// <param name="ExpiresAt">When the redirect ends; null when permanent or not applied.</param>
internal sealed record BanOutcome(bool Applied, string Message, DateTimeOffset? ExpiresAt, int BanCount)
{
    /// <summary>Why it was refused; <see cref="BanRefusal.None"/> when it was not.</summary>
    public BanRefusal Refusal { get; init; }

    /// <summary>The firewall's error when the ban was stored but could not be applied now (it is retried).</summary>
    public string? FirewallError { get; init; }

    /// <summary>True when the request found the target banned already and only refreshed (or kept) that ban: no new incident.</summary>
    public bool Refreshed { get; init; }

    /// <summary>For people, one line each: what happened to every other ban the request touched (covering or inside it).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
