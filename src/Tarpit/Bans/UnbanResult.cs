namespace Tarpit.Bans;

/// <summary>What an unban found.</summary>
internal enum UnbanResult
{
    /// <summary>The ban in force was lifted.</summary>
    Unbanned,

    /// <summary>Its last ban had ended already (ran out, or was lifted before): nothing to do, and no error (fail2ban's own timer fires then).</summary>
    AlreadyEnded,

    /// <summary>The target is allowlisted, so it was never redirected (a fail2ban ticket the agent refused): nothing to do.</summary>
    Allowlisted,

    /// <summary>The target itself was never banned.</summary>
    NeverBanned,

    /// <summary>Not banned itself, but inside a wider ban in force: that one would have to be lifted.</summary>
    Covered,
}
