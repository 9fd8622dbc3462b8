using Tarpit.Store;

namespace Tarpit.Bans;

/// <summary>
/// Told of every new ban the store took (a new incident; never a refresh), inside the ban's own transaction and on its
/// thread, so it may add one small write of its own that commits with the ban. It must be quick and never throw: a ban
/// never waits for what an observer does with it. The composition root sets one (the AbuseIPDB outbox, Reporting/); Bans knows
/// nothing of what it is.
/// </summary>
internal interface IBanOutbox
{
    void BanStored(BanRecord ban, BanRequest request);
}
