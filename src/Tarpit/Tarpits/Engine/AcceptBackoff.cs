namespace Tarpit.Tarpits.Engine;

/// <summary>
/// What an accept loop does when the process or the system is out of file descriptors (EMFILE/ENFILE) or buffers:
/// wait, doubling from <see cref="First"/> to <see cref="Max"/>, and warn once per episode rather than per failure.
/// </summary>
internal sealed class AcceptBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    private TimeSpan _next = First;

    /// <summary>True from the first failure until an accept succeeds again.</summary>
    public bool InEpisode { get; private set; }

    /// <summary>Failures in the current episode.</summary>
    public int Failures { get; private set; }

    /// <summary>Records a failure; returns how long to wait and whether this failure starts an episode (log it).</summary>
    public (TimeSpan Delay, bool StartsEpisode) Fail()
    {
        var startsEpisode = !InEpisode;
        InEpisode = true;
        Failures++;
        var delay = _next;
        _next = _next * 2 < Max ? _next * 2 : Max;
        return (delay, startsEpisode);
    }

    /// <summary>Records a success; returns true when it ends an episode (log the recovery).</summary>
    public bool Succeed()
    {
        var endsEpisode = InEpisode;
        InEpisode = false;
        Failures = 0;
        _next = First;
        return endsEpisode;
    }
}
