namespace Tarpit.Tests.Crowdsec;

/// <summary>Runs its tests after the parallel ones, alone, so the process's heap and allocations are theirs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "snapshot footprint (alone)";
}
