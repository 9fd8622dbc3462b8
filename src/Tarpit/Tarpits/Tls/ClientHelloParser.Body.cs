using System.Buffers.Binary;
using System.Text;
using Tarpit.Text;

namespace Tarpit.Tarpits.Tls;

internal static partial class ClientHelloParser
{
    /// <summary>RFC 1035 §2.3.4 names are ≤ 255 octets; SNI host names are DNS names (RFC 6066 §3).</summary>
    public const int MaxServerNameText = 255;

    /// <summary>Escaped ALPN list kept for the event: enough for every real client's offer.</summary>
    public const int MaxAlpnText = 128;

    private const ushort ServerNameExtension = 0;
    private const ushort SupportedGroupsExtension = 10;
    private const ushort EcPointFormatsExtension = 11;
    private const ushort AlpnExtension = 16;
    private const ushort ExtendedMasterSecretExtension = 23;
    private const ushort SessionTicketExtension = 35;
    private const ushort SignatureAlgorithmsExtension = 13;
    private const ushort SupportedVersionsExtension = 43;
    private const ushort KeyShareExtension = 51;

    /// <summary>RFC 8446 §4.2.3: rsa_pss_rsae_sha256.</summary>
    private const ushort RsaPssRsaeSha256 = 0x0804;
    private const ushort RenegotiationInfoExtension = 0xFF01;

    /// <summary>RFC 5746 §3.3: TLS_EMPTY_RENEGOTIATION_INFO_SCSV.</summary>
    private const ushort RenegotiationScsv = 0x00FF;

    /// <summary>The ClientHello body (after its 4-byte handshake header), RFC 8446 §4.1.2 / RFC 5246 §7.4.1.2.</summary>
    internal static TlsParseResult ParseClientHello(ReadOnlySpan<byte> message, ushort recordVersion)
    {
        var reader = new TlsReader(message[TlsRecord.HandshakeHeaderLength..]);
        if (!reader.TryReadUInt16(out var legacyVersion)
            || !reader.TryReadBytes(32, out var clientRandom)
            || !reader.TryReadVector8(0, 32, out var sessionId)
            || !reader.TryReadVector16(2, 0xFFFE, out var suiteBytes)
            || suiteBytes.Length % 2 != 0
            || !reader.TryReadVector8(1, 0xFF, out var compression))
        {
            return TlsParseResult.Invalid(TlsAlert.DecodeError);
        }

        if ((legacyVersion >> 8) != 3)
        {
            return TlsParseResult.Invalid(TlsAlert.ProtocolVersion);
        }

        // RFC 5246 §7.4.1.2: the null compression method MUST be offered (RFC 8446 §4.1.2: exactly it).
        if (compression.IndexOf((byte)0) < 0)
        {
            return TlsParseResult.Invalid(TlsAlert.IllegalParameter);
        }

        var suites = new ushort[suiteBytes.Length / 2];
        var extensions = ClientHelloExtensions.None;
        for (var i = 0; i < suites.Length; i++)
        {
            suites[i] = BinaryPrimitives.ReadUInt16BigEndian(suiteBytes[(2 * i)..]);
            if (suites[i] == RenegotiationScsv)
            {
                extensions |= ClientHelloExtensions.RenegotiationInfo;
            }
        }

        var found = new Extensions(legacyVersion);

        // RFC 5246 §7.4.1.2: extensions may be absent (nothing after compression_methods); when present the block
        // must fill the rest of the message exactly.
        if (!reader.IsEmpty)
        {
            if (!reader.TryReadVector16(0, 0xFFFF, out var block) || !reader.IsEmpty)
            {
                return TlsParseResult.Invalid(TlsAlert.DecodeError);
            }

            if (ParseExtensions(block, ref found) is { } alert)
            {
                return TlsParseResult.Invalid(alert);
            }
        }

        var offersTls12 = found.SupportedVersions is { } versions
            ? versions.Contains(TlsRecord.Tls12)
            : legacyVersion >= TlsRecord.Tls12;
        return new(TlsParseStatus.Complete, new ClientHello(
            recordVersion,
            legacyVersion,
            found.MaxVersion,
            offersTls12,
            sessionId.ToArray(),
            suites,
            found.ServerName,
            found.Alpn,
            found.AlpnHttp11,
            extensions | found.Offered,
            clientRandom.ToArray(),
            found.SupportedVersions?.Contains(TlsRecord.Tls13) == true,
            found.Share,
            found.GroupsSeen ? found.Group : TlsGroups.Secp256r1,
            found.RsaPss)
        {
            Traits = new HelloTraits(
                found.Types?.ToArray() ?? [],
                found.SignatureAlgorithms ?? [],
                found.SupportedVersions?.ToArray(),
                found.FirstAlpn),
        });
    }

    private static byte? ParseExtensions(ReadOnlySpan<byte> block, ref Extensions found)
    {
        // RFC 8446 §4.2: there MUST NOT be more than one extension of the same type (one bit per type: 8 KiB).
        Span<ulong> seen = stackalloc ulong[65536 / 64];
        seen.Clear();
        var reader = new TlsReader(block);
        while (!reader.IsEmpty)
        {
            if (!reader.TryReadUInt16(out var type) || !reader.TryReadVector16(0, 0xFFFF, out var data))
            {
                return TlsAlert.DecodeError;
            }

            ref var bits = ref seen[type >> 6];
            if ((bits & (1UL << (type & 63))) != 0)
            {
                return TlsAlert.IllegalParameter;
            }

            bits |= 1UL << (type & 63);
            (found.Types ??= []).Add(type);
            var ok = type switch
            {
                ServerNameExtension => ParseServerName(data, ref found),
                AlpnExtension => ParseAlpn(data, ref found),
                SupportedVersionsExtension => ParseSupportedVersions(data, ref found),
                SupportedGroupsExtension => ParseGroups(data, ref found),
                KeyShareExtension => ParseKeyShares(data, ref found),
                SignatureAlgorithmsExtension => ParseSignatureAlgorithms(data, ref found),
                EcPointFormatsExtension => Mark(ref found, ClientHelloExtensions.EcPointFormats, new TlsReader(data).TryReadVector8(1, 0xFF, out var formats) && formats.Length == data.Length - 1),
                ExtendedMasterSecretExtension => Mark(ref found, ClientHelloExtensions.ExtendedMasterSecret, data.IsEmpty),
                SessionTicketExtension => Mark(ref found, ClientHelloExtensions.SessionTicket, true),

                // RFC 5746 §3.4: on an initial handshake renegotiated_connection is empty.
                RenegotiationInfoExtension => Mark(ref found, ClientHelloExtensions.RenegotiationInfo, data.Length == 1 && data[0] == 0),
                _ => true,
            };
            if (!ok)
            {
                return TlsAlert.DecodeError;
            }
        }

        return null;
    }

    /// <summary>RFC 6066 §3: ServerNameList server_name_list&lt;1..2^16-1&gt;; the first host_name(0) entry is kept.</summary>
    private static bool ParseServerName(ReadOnlySpan<byte> data, ref Extensions found)
    {
        found.Offered |= ClientHelloExtensions.ServerName;
        var outer = new TlsReader(data);
        if (!outer.TryReadVector16(1, 0xFFFF, out var list) || !outer.IsEmpty)
        {
            return false;
        }

        var reader = new TlsReader(list);
        while (!reader.IsEmpty)
        {
            if (!reader.TryReadUInt8(out var nameType) || !reader.TryReadVector16(1, 0xFFFF, out var name))
            {
                return false;
            }

            if (nameType == 0 && found.ServerName is null)
            {
                found.ServerName = AttackerText.Escape(name, MaxServerNameText);
            }
        }

        return true;
    }

    /// <summary>RFC 7301 §3.1: ProtocolName protocol_name_list&lt;2..2^16-1&gt;, each ProtocolName&lt;1..2^8-1&gt;.</summary>
    private static bool ParseAlpn(ReadOnlySpan<byte> data, ref Extensions found)
    {
        found.Offered |= ClientHelloExtensions.Alpn;
        var outer = new TlsReader(data);
        if (!outer.TryReadVector16(2, 0xFFFF, out var list) || !outer.IsEmpty)
        {
            return false;
        }

        var names = new StringBuilder();
        var reader = new TlsReader(list);
        while (!reader.IsEmpty)
        {
            if (!reader.TryReadVector8(1, 0xFF, out var name))
            {
                return false;
            }

            found.AlpnHttp11 |= name.SequenceEqual("http/1.1"u8);
            found.FirstAlpn ??= Ja4.AlpnChars(name);
            if (names.Length < MaxAlpnText)
            {
                names.Append(names.Length == 0 ? "" : ",").Append(AttackerText.Escape(name, MaxAlpnText));
            }
        }

        found.Alpn = names.Length > MaxAlpnText ? names.ToString(0, MaxAlpnText) + AttackerText.TruncationMarker : names.ToString();
        return true;
    }

    /// <summary>RFC 8446 §4.2.1: ProtocolVersion versions&lt;2..254&gt; in a ClientHello; GREASE is skipped.</summary>
    private static bool ParseSupportedVersions(ReadOnlySpan<byte> data, ref Extensions found)
    {
        found.Offered |= ClientHelloExtensions.SupportedVersions;
        var outer = new TlsReader(data);
        if (!outer.TryReadVector8(2, 254, out var list) || !outer.IsEmpty || list.Length % 2 != 0)
        {
            return false;
        }

        var versions = new List<ushort>(list.Length / 2);
        ushort max = 0;
        for (var i = 0; i < list.Length; i += 2)
        {
            var version = BinaryPrimitives.ReadUInt16BigEndian(list[i..]);
            if (!TlsRecord.IsGrease(version))
            {
                versions.Add(version);
                max = Math.Max(max, version);
            }
        }

        found.SupportedVersions = versions;
        found.MaxVersion = max;
        return true;
    }

    private static bool Mark(ref Extensions found, ClientHelloExtensions extension, bool wellFormed)
    {
        found.Offered |= extension;
        return wellFormed;
    }

    private struct Extensions(ushort legacyVersion)
    {
        public ClientHelloExtensions Offered;
        public string? ServerName;
        public string? Alpn;
        public bool AlpnHttp11;
        public List<ushort>? SupportedVersions;
        public ushort MaxVersion = legacyVersion;
        public bool GroupsSeen;
        public ushort Group;
        public ushort Share;
        public bool RsaPss;
        public List<ushort>? Types;
        public ushort[]? SignatureAlgorithms;
        public string? FirstAlpn;
    }
}
