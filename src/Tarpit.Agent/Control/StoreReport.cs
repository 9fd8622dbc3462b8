namespace Tarpit.Agent.Control;

/// <summary>The store in <c>status</c>: its file, its size on disk (with the WAL), and why it is read-only when it is.</summary>
internal sealed record StoreReport(string Path, long SizeBytes, string? ReadOnlyReason);
