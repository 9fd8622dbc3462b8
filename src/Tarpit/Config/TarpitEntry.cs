using Tomlyn.Syntax;

namespace Tarpit.Config;

/// <summary>A read <c>[[tarpit]]</c> with the positions the cross-tarpit checks report at.</summary>
internal sealed record TarpitEntry(
    TarpitConfig Config,
    TextPosition Header,
    TextPosition NamePosition,
    IReadOnlyList<TextPosition> ListenPositions,
    IReadOnlyList<TextPosition> RedirectPortPositions);
