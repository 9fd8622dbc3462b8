namespace Tarpit.Tarpits;

/// <summary>
/// Where <see cref="SessionContext"/>'s event members go: the engine's held connection, or a test's recorder.
/// Called on the scheduler thread only.
/// </summary>
internal interface ISessionRecorder
{
    void MarkVerified();

    void RecordFirstBytes(ReadOnlySpan<byte> bytes);

    void Observe(string key, string value);

    void Summarize(string key, string value);

    void Publish(string key, string value);

    /// <summary>The first request head was read: its forwarding fields (null or empty when none) may name the client.</summary>
    void NameClient(ForwardingFields? fields);
}
