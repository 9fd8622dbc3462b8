namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// Reads a client's first line, fed in whatever pieces the socket delivers, without buffering it: RFC 4253 §4.2 has the
/// client send its identification string ("SSH-2.0-...", CR LF) first, and sshd refuses any other first line
/// (OpenSSH <c>kex_exchange_identification</c>: a client may send no lines before it). Keeps only the count of bytes
/// seen and whether they still spell "SSH-".
/// </summary>
internal struct ClientIdentification
{
    /// <summary>RFC 4253 §4.2: at most 255 characters including CR LF.</summary>
    public const int MaxLineLength = 255;

    private static ReadOnlySpan<byte> Prefix => "SSH-"u8;

    private short _seen;
    private bool _notSsh;
    private bool _expectLf;

    /// <summary>Bytes of the first line seen so far.</summary>
    public readonly int Seen => _seen;

    /// <summary>True once the first bytes are a complete "SSH-" (a slow SSH client, even if the line never ends).</summary>
    public readonly bool HasPrefix => !_notSsh && _seen >= Prefix.Length;

    /// <summary>
    /// Looks at the next bytes. <paramref name="lineLength"/> is the length of the version line inside
    /// <paramref name="received"/> (without CR LF) when the result is <see cref="ClientGreeting.Version"/>. As sshd, a
    /// line that is not an identification string is judged when it ends (an HTTP request line), at once on a NUL or a
    /// CR not followed by LF, or when it grows past the RFC's bound.
    /// </summary>
    public ClientGreeting Feed(ReadOnlySpan<byte> received, out int lineLength)
    {
        lineLength = 0;
        for (var i = 0; i < received.Length; i++)
        {
            var b = received[i];
            if (b == (byte)'\n')
            {
                // sshd: an identification string is longer than "SSH-"; CR LF is not part of it.
                var content = _expectLf ? _seen - 1 : _seen;
                if (_notSsh || content <= Prefix.Length || _seen >= MaxLineLength)
                {
                    return ClientGreeting.Garbage;
                }

                lineLength = i > 0 && received[i - 1] == (byte)'\r' ? i - 1 : i;
                return ClientGreeting.Version;
            }

            if (_seen >= MaxLineLength || b == 0 || _expectLf)
            {
                return ClientGreeting.Garbage;
            }

            if (b == (byte)'\r')
            {
                _expectLf = true;
            }
            else if (_seen < Prefix.Length && b != Prefix[_seen])
            {
                _notSsh = true;
            }

            _seen++;
        }

        return ClientGreeting.Incomplete;
    }
}
