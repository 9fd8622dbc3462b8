using Tarpit.Detection.Filters;

namespace Tarpit.Detection;

/// <summary>Told of every judged line of a <see cref="FilterRun"/> (for <c>test-filter --print</c>); the spans live only during the call.</summary>
internal delegate void LineJudged(in LogView line, in FilterMatch match);
