using System.Net;

namespace Tarpit.Crowdsec;

/// <summary>A LAPI decision checked and bounded: its target, origin and scenario (raw, bounded; escaped where shown) and the time it has left.</summary>
internal sealed record RemoteDecision(long Id, IPNetwork Target, string Origin, string Scenario, string Type, TimeSpan Remaining);
