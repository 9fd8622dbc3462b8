namespace Tarpit.Agent.Control;

/// <summary>The GeoIP databases in <c>status</c>: configured path and whether it is loaded.</summary>
internal sealed record GeoReport(string? CityDb, bool CityLoaded, string? AsnDb, bool AsnLoaded);
