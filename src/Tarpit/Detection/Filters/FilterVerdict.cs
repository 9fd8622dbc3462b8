namespace Tarpit.Detection.Filters;

/// <summary>What a filter made of one line.</summary>
internal enum FilterVerdict
{
    /// <summary>Nothing of interest (the common case: no allocation on this path).</summary>
    Missed,

    /// <summary>It matched a failure pattern but an ignore pattern (or an unusable address) excused it.</summary>
    Ignored,

    /// <summary>An offence by <see cref="FilterMatch.Address"/>.</summary>
    Offence,
}
