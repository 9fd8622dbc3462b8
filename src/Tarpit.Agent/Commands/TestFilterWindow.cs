using Tarpit.Config;

namespace Tarpit.Agent.Commands;

/// <summary>The window <c>test-filter</c> judges with, and where it came from.</summary>
internal sealed record TestFilterWindow(int MaxRetry, TimeSpan FindTime, WatchConfig? Watch, string Mode);
