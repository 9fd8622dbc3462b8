namespace Tarpit.Tarpits.Http;

/// <summary>The outcome of parsing a request head; <see cref="Request"/> is set when <see cref="Status"/> is Complete.</summary>
internal readonly record struct HttpParseResult(HttpParseStatus Status, HttpRequest? Request = null);
