namespace Tarpit.Store;

/// <summary>One write queued by <see cref="SessionStoreSink"/>: a finished session or a request capture.</summary>
internal readonly record struct SessionWrite(SessionRecord? Session, CaptureRecord? Capture);
