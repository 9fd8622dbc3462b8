namespace Tarpit.Agent.Control;

/// <summary>How many connections one address has held right now.</summary>
internal sealed record HeldCount(string Address, int Connections);
