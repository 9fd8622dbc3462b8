namespace Tarpit.Tarpits.Http;

/// <summary>One header field of a captured request: its name and the first bytes of its value, both escaped.</summary>
internal readonly record struct CapturedHeader(string Name, string Value);
