namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// Reads a client's first line, fed in whatever pieces the socket delivers, without buffering it: RFC 4253 §4.2 has the
/// client send its identification string ("SSH-2.0-...", CR LF) first, so anything else is not an SSH client.
/// Keeps only the count of bytes seen.
/// </summary>
internal struct ClientIdentification
{
    /// <summary>RFC 4253 §4.2: at most 255 characters including CR LF.</summary>
    public const int MaxLineLength = 255;

    private static ReadOnlySpan<byte> Prefix => "SSH-"u8;

    private short _seen;

    /// <summary>Bytes of the first line seen so far.</summary>
    public readonly int Seen => _seen;

    /// <summary>True once the first bytes are a complete "SSH-" (a slow SSH client, even if the line never ends).</summary>
    public readonly bool HasPrefix => _seen >= Prefix.Length;

    /// <summary>
    /// Looks at the next bytes. <paramref name="lineLength"/> is the length of the version line inside
    /// <paramref name="received"/> (without CR LF) when the result is <see cref="ClientGreeting.Version"/>.
    /// </summary>
    public ClientGreeting Feed(ReadOnlySpan<byte> received, out int lineLength)
    {
        lineLength = 0;
        for (var i = 0; i < received.Length; i++)
        {
            var b = received[i];
            if (_seen >= MaxLineLength || b == 0 || (_seen < Prefix.Length && b != Prefix[_seen]))
            {
                return ClientGreeting.Garbage;
            }

            if (b == (byte)'\n')
            {
                lineLength = i > 0 && received[i - 1] == (byte)'\r' ? i - 1 : i;
                return ClientGreeting.Version;
            }

            _seen++;
        }

        return ClientGreeting.Incomplete;
    }
}
