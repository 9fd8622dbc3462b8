using Tarpit.Text;

namespace Tarpit.Tarpits.Http;

internal static partial class HttpRequestParser
{
    /// <summary>The header fields a tarpit cares about, collected line by line; everything else is only validated.</summary>
    internal sealed class HeaderFields
    {
        /// <summary>Digits of a Content-Length reported: 18 always fit a long (RFC 9110 §8.6 sets no limit; nginx takes off_t).</summary>
        public const int MaxContentLengthDigits = 18;

        /// <summary>The longest name <see cref="Keeps"/> is true for ("X-Tarpit-Target-Port").</summary>
        public const int LongestKeptName = 20;

        private string? _forwarded;
        private string? _forwardedFor;
        private string? _realIp;
        private string? _targetPort;

        /// <summary>The forwarding fields (raw, bounded), null when the head had none; the engine decides whether to trust them.</summary>
        public ForwardingFields? Forwarding =>
            _forwarded is null && _forwardedFor is null && _realIp is null && _targetPort is null
                ? null
                : new ForwardingFields(_forwarded, _forwardedFor, _realIp, _targetPort);

        public string? Host { get; private set; }

        public string? UserAgent { get; private set; }

        public ContentCodings Codings { get; private set; }

        public string? User { get; private set; }

        public string? Password { get; private set; }

        public bool Close { get; private set; }

        public bool KeepAlive { get; private set; }

        public bool HasBody { get; private set; }

        public ByteRange? Range { get; private set; }

        /// <summary>The body length the first Content-Length announced (RFC 9110 §8.6), null when absent or not 1*DIGIT within <see cref="MaxContentLengthDigits"/>.</summary>
        public long? ContentLength { get; private set; }

        /// <summary>The fields <see cref="Add"/> reads a value of; every other field line is only validated.</summary>
        public static bool Keeps(ReadOnlySpan<byte> name) =>
            NameIs(name, "Host"u8) || NameIs(name, "User-Agent"u8) || NameIs(name, "Accept-Encoding"u8)
            || NameIs(name, "Authorization"u8) || NameIs(name, "Connection"u8) || NameIs(name, "Content-Length"u8)
            || NameIs(name, "Range"u8) || NameIs(name, "Transfer-Encoding"u8)
            || NameIs(name, "Forwarded"u8) || NameIs(name, "X-Forwarded-For"u8) || NameIs(name, "X-Real-IP"u8)
            || NameIs(name, "X-Tarpit-Target-Port"u8);

        /// <summary>RFC 9112 §5: field-line = field-name ":" OWS field-value OWS. False when the line is invalid.</summary>
        public bool Add(ReadOnlySpan<byte> line)
        {
            var colon = line.IndexOf((byte)':');

            // RFC 9112 §5.1: no whitespace between name and colon (400); §5.2: obs-fold (a line starting with
            // whitespace) may be rejected with 400, as nginx does.
            if (colon <= 0 || !IsToken(line[..colon]) || !IsFieldValue(line[(colon + 1)..]))
            {
                return false;
            }

            var name = line[..colon];
            var value = TrimOws(line[(colon + 1)..]);
            if (NameIs(name, "Host"u8))
            {
                // RFC 9112 §3.2: more than one Host field line is answered with 400.
                if (Host is not null)
                {
                    return false;
                }

                Host = AttackerText.Escape(value, MaxHostText);
            }
            else if (NameIs(name, "User-Agent"u8))
            {
                UserAgent ??= AttackerText.Escape(value);
            }
            else if (NameIs(name, "Accept-Encoding"u8))
            {
                Codings |= AcceptEncoding.Parse(value);
            }
            else if (NameIs(name, "Authorization"u8))
            {
                if (BasicCredentials.TryDecode(value, out var user, out var password))
                {
                    User = AttackerText.Escape(user, MaxCredentialText);
                    Password = AttackerText.Escape(password, MaxCredentialText);
                }
            }
            else if (NameIs(name, "Connection"u8))
            {
                AddConnectionOptions(value);
            }
            else if (NameIs(name, "Content-Length"u8))
            {
                HasBody |= !value.SequenceEqual("0"u8);
                ContentLength ??= ParseContentLength(value);
            }
            else if (NameIs(name, "Range"u8))
            {
                Range = ByteRange.Parse(value);
            }
            else if (NameIs(name, "Transfer-Encoding"u8))
            {
                HasBody = true;
            }
            else if (NameIs(name, "Forwarded"u8))
            {
                _forwarded = Append(_forwarded, value);
            }
            else if (NameIs(name, "X-Forwarded-For"u8))
            {
                _forwardedFor = Append(_forwardedFor, value);
            }
            else if (NameIs(name, "X-Real-IP"u8))
            {
                _realIp = Append(_realIp, value);
            }
            else if (NameIs(name, "X-Tarpit-Target-Port"u8))
            {
                _targetPort = Append(_targetPort, value);
            }

            return true;
        }

        /// <summary>RFC 9110 §5.3: lines of one field combine with ", "; kept up to one character past the bound, so the engine sees "too long".</summary>
        private static string Append(string? kept, ReadOnlySpan<byte> value)
        {
            var text = System.Text.Encoding.Latin1.GetString(value[..Math.Min(value.Length, ForwardingFields.MaxFieldLength + 1)]);
            var joined = kept is null ? text : kept + ", " + text;
            return joined.Length > ForwardingFields.MaxFieldLength + 1 ? joined[..(ForwardingFields.MaxFieldLength + 1)] : joined;
        }

        /// <summary>RFC 9110 §8.6: Content-Length = 1*DIGIT; more digits than a long holds are not a length we report.</summary>
        internal static long? ParseContentLength(ReadOnlySpan<byte> value)
        {
            if (value.IsEmpty || value.Length > MaxContentLengthDigits)
            {
                return null;
            }

            long length = 0;
            foreach (var b in value)
            {
                if (!char.IsAsciiDigit((char)b))
                {
                    return null;
                }

                length = (length * 10) + (b - '0');
            }

            return length;
        }

        /// <summary>RFC 9110 §7.6.1: Connection = #connection-option.</summary>
        private void AddConnectionOptions(ReadOnlySpan<byte> value)
        {
            foreach (var range in value.Split((byte)','))
            {
                var option = TrimOws(value[range]);
                Close |= NameIs(option, "close"u8);
                KeepAlive |= NameIs(option, "keep-alive"u8);
            }
        }
    }
}
