namespace Tarpit.Bans;

/// <summary>Why a ban was not applied.</summary>
internal enum BanRefusal
{
    /// <summary>Not refused.</summary>
    None,

    /// <summary>The target is, or overlaps, an allowlisted network: never redirected.</summary>
    Allowlisted,
}
