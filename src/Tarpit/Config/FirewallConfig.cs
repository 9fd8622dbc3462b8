using System.Net;
using Tarpit.Net;

namespace Tarpit.Config;

/// <summary><c>[firewall]</c>: the nftables table the agent owns and how bans are timed.</summary>
internal sealed record FirewallConfig(
    bool Enabled,
    string Nft,
    string Table,
    TimeSpan BanTime,
    double BanTimeFactor,
    TimeSpan MaxBanTime,
    IReadOnlyList<IPNetwork> Allow,
    bool KeepOnExit,
    bool CutEstablished)
{
    public static FirewallConfig Defaults { get; } = new(
        Enabled: true,
        Nft: "nft",
        Table: "tarpit",
        BanTime: TimeSpan.FromHours(1),
        BanTimeFactor: 2.0,
        MaxBanTime: TimeSpan.FromDays(7),
        Allow: [NetworkText.Parse("127.0.0.0/8"), NetworkText.Parse("::1/128")],
        KeepOnExit: true,
        CutEstablished: true);

    /// <summary>Value equality, <see cref="Allow"/> compared item by item.</summary>
    public bool Equals(FirewallConfig? other) =>
        other is not null
        && Enabled == other.Enabled
        && Nft == other.Nft
        && Table == other.Table
        && BanTime == other.BanTime
        && BanTimeFactor.Equals(other.BanTimeFactor)
        && MaxBanTime == other.MaxBanTime
        && Allow.SequenceEqual(other.Allow)
        && KeepOnExit == other.KeepOnExit
        && CutEstablished == other.CutEstablished;

    public override int GetHashCode() => HashCode.Combine(Enabled, Nft, Table, BanTime, BanTimeFactor, MaxBanTime, Allow.Count, HashCode.Combine(KeepOnExit, CutEstablished));
}
