using Tarpit.Store;

namespace Tarpit.Bans;

/// <summary>
/// Told of every new ban this host decided, once it is stored: a watch's, a decoy's, a revisit's, and (through the
/// daemon's <see cref="BanFollower"/>) the verbs' (manual, fail2ban). Never of a fleet decision
/// (<see cref="BanRequest.Remote"/>), a restored ban or a refresh. Called on the ban path: it must only enqueue.
/// </summary>
internal interface IBanObserver
{
    void Decided(BanRecord ban);
}
