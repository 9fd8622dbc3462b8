namespace Tarpit.Config;

/// <summary>The keys whose meaning depends on the protocol: <c>banner</c> and the HTTP-only options.</summary>
internal static partial class TarpitSection
{
    /// <summary>RFC 4253 §4.2: the identification string is at most 255 characters including CR LF.</summary>
    public const int MaxSshBannerLength = 255 - 2;

    /// <summary>RFC 4253 §4.2: <c>SSH-protoversion-softwareversion SP comments</c>; we only speak protocol 2.0.</summary>
    public const string SshBannerPrefix = "SSH-2.0-";

    /// <summary>Our bound on the <c>Server</c> header (RFC 9110 §10.2.4 sets none): a real server's is far shorter.</summary>
    public const int MaxHttpBannerLength = 128;

    /// <summary>Our bound on the Basic realm (RFC 7617 §2): a quoted-string shown in a browser prompt.</summary>
    public const int MaxRealmLength = 128;

    /// <summary>The drip page's length: a plausible home page (a 1 GiB "/" gives a tarpit away), ~7 days at 4 bytes per 10 s.</summary>
    public const long DefaultContentLength = 256 * SizeSyntax.KiB;
    public const long DefaultBombSize = SizeSyntax.GiB;
    public const long MinBombSize = SizeSyntax.MiB;

    /// <summary>
    /// The largest <c>bomb_size</c>: each bomb is compressed once, in memory, and deflate shrinks at most about 1032:1
    /// (zlib's technical details, "Maximum Compression Factor"), so 16 GiB is at least 16 MiB held per encoding, where
    /// 1 TiB would hold a gigabyte per encoding and compress a terabyte before the first bomb goes out.
    /// </summary>
    public const long MaxBombSize = 16 * SizeSyntax.GiB;
    public const string DefaultRealm = "Restricted";

    private static readonly string[] HttpKeys = ["content_length", "bomb_size", "realm"];

    private static string? ReadBanner(TomlTableView table, TarpitProtocol? protocol, IReadOnlyList<int> redirectPorts)
    {
        var text = table.GetString("banner", out var node);
        if (protocol is not { } known)
        {
            return null;
        }

        var fallback = ModeCatalog.DefaultBanner(known);
        if (text is null || node is null)
        {
            return fallback;
        }

        if (text == ModeCatalog.AutoBanner && known is not TarpitProtocol.Tls)
        {
            if (redirectPorts.Count == 0)
            {
                table.Diagnostics.Add(node, $"banner = \"{ModeCatalog.AutoBanner}\" copies the real service on the first of 'redirect_ports', and this tarpit has none; set a banner, e.g. \"{fallback}\"");
                return fallback;
            }

            // Kept as written, so check prints it; the engine reads the real banner when run starts.
            table.Diagnostics.AddNote(
                node,
                $"banner = \"{ModeCatalog.AutoBanner}\": read at start (run only) from the real service on 127.0.0.1:{redirectPorts[0]} (or [::1]), "
                + $"within {(int)ModeCatalog.AutoBannerTimeout.TotalSeconds}s; \"{fallback}\" if nothing valid answers");
            return text;
        }

        var problem = known switch
        {
            TarpitProtocol.Ssh => SshBannerProblem(text),
            TarpitProtocol.Http => HttpBannerProblem(text),
            _ => "tls tarpits send no banner; remove 'banner' from this tarpit",
        };
        if (problem is not null)
        {
            table.Diagnostics.Add(node, problem);
            return fallback;
        }

        return text;
    }

    /// <summary>Why <paramref name="banner"/> is not a valid SSH identification string, or null when it is.</summary>
    public static string? SshBannerProblem(string banner)
    {
        var found = $"found {TomlText.Quote(banner)}";
        if (!banner.StartsWith(SshBannerPrefix, StringComparison.Ordinal))
        {
            return $"ssh 'banner' must start with \"{SshBannerPrefix}\" (RFC 4253 §4.2): {found}, expected e.g. \"{ModeCatalog.DefaultSshBanner}\"";
        }

        if (!IsPrintableAscii(banner))
        {
            return $"ssh 'banner' must be printable ASCII (RFC 4253 §4.2): {found}";
        }

        if (banner.Length > MaxSshBannerLength)
        {
            return $"ssh 'banner' is {banner.Length} characters long; allowed at most {MaxSshBannerLength} (RFC 4253 §4.2: 255 including CR LF)";
        }

        var rest = banner[SshBannerPrefix.Length..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        var software = space < 0 ? rest : rest[..space];
        if (software.Length == 0 || software.Contains('-', StringComparison.Ordinal))
        {
            return $"ssh 'banner' needs a software version right after \"{SshBannerPrefix}\" with no spaces or '-' in it, comments after one space (RFC 4253 §4.2): {found}, expected e.g. \"{ModeCatalog.DefaultSshBanner}\"";
        }

        return null;
    }

    /// <summary>Why <paramref name="banner"/> is not a valid <c>Server</c> header value, or null when it is.</summary>
    public static string? HttpBannerProblem(string banner) =>
        banner.Length is 0 or > MaxHttpBannerLength || !IsPrintableAscii(banner)
            ? $"http 'banner' (the Server header) must be 1-{MaxHttpBannerLength} printable ASCII characters: found {TomlText.Quote(banner)}, expected e.g. \"{ModeCatalog.DefaultHttpBanner}\""
            : null;

    /// <summary>
    /// Takes the keys only <paramref name="owner"/>'s tarpits have from a tarpit of another <paramref name="protocol"/>,
    /// each an error that names it (none when the protocol itself is missing or wrong: that error is said already).
    /// </summary>
    private static void RejectKeysOf(TomlTableView table, string[] keys, TarpitProtocol owner, TarpitProtocol? protocol)
    {
        foreach (var key in keys.Where(table.Has))
        {
            table.Take(key);
            if (protocol is { } other)
            {
                table.Diagnostics.Add(table.KeyPosition(key), $"'{key}' is only for {ModeCatalog.Name(owner)} tarpits, and this one has protocol = \"{ModeCatalog.Name(other)}\"; remove it");
            }
        }
    }

    private static HttpTarpitOptions? ReadHttpOptions(TomlTableView table, TarpitProtocol? protocol)
    {
        if (protocol is not TarpitProtocol.Http)
        {
            RejectKeysOf(table, HttpKeys, TarpitProtocol.Http, protocol);
            return null;
        }

        var contentLength = table.GetSize("content_length", DefaultContentLength, 1, SizeSyntax.Max);
        var bombSize = table.GetSize("bomb_size", DefaultBombSize, MinBombSize, MaxBombSize);
        var realm = table.GetString("realm", out var realmNode) ?? DefaultRealm;
        if (realmNode is not null && (realm.Length is 0 or > MaxRealmLength || !IsPrintableAscii(realm) || realm.Contains('"', StringComparison.Ordinal) || realm.Contains('\\', StringComparison.Ordinal)))
        {
            table.Diagnostics.Add(realmNode, $"'realm' must be 1-{MaxRealmLength} printable ASCII characters without '\"' or '\\': found {TomlText.Quote(realm)}, expected e.g. \"{DefaultRealm}\"");
            realm = DefaultRealm;
        }

        return new HttpTarpitOptions(contentLength, bombSize, realm);
    }

    private static bool IsPrintableAscii(string text) => text.All(c => c is >= ' ' and <= '~');
}
