namespace Tarpit.Tarpits;

/// <summary>
/// One per <c>[[tarpit]]</c>, built from its <see cref="Config.TarpitConfig"/> at start and shared by all its
/// connections: tables, templates and caches live here, not in the sessions.
/// </summary>
internal interface ITarpitMode
{
    /// <summary>The mode's config name: <c>endless-banner</c>, <c>kex-hold</c>, <c>drip</c>, ...</summary>
    string Name { get; }

    /// <summary>Called on the scheduler thread when a connection is accepted.</summary>
    ITarpitSession Open(in SessionOpen open);
}
