using System.Globalization;
using System.Net;
using Tarpit.Config;
using Tarpit.Net;

namespace Tarpit.Agent.Listing;

/// <summary>
/// <c>tarpit-agent list [ADDR|CIDR] --country XX --asn N --source NAME --since WHEN --limit N</c>: keeps the bans that
/// match every given filter, newest first, at most <see cref="Limit"/>. A ban with no known country (or AS) never
/// matches that filter; the search matches a ban whose target overlaps it (an address inside a banned network, or a
/// ban inside a searched network).
/// </summary>
/// <param name="CountryCode">ISO 3166-1 alpha-2, upper case; null when not filtered.</param>
/// <param name="Asn">An AS number; null when not filtered.</param>
/// <param name="Source">A ban source (<c>sshd</c>, <c>fail2ban</c>, <c>admin</c>, a watch's name), any case; null when not filtered.</param>
/// <param name="Since">Only bans made at or after this; null when not filtered.</param>
/// <param name="Search">An address or network; null when not filtered.</param>
/// <param name="Limit">At most this many bans (the newest); null for all.</param>
internal sealed record BanListFilter(string? CountryCode, long? Asn, string? Source = null, DateTimeOffset? Since = null, IPNetwork? Search = null, int? Limit = null)
{
    /// <summary>What <c>--since</c> and <c>--limit</c> accept at most: a filter, not a way to build huge numbers.</summary>
    public const int MaxLimit = 1_000_000;

    public static BanListFilter None { get; } = new(null, null);

    /// <summary>A search as the operator typed it may be anything: escaped and cut in the error sentence.</summary>
    private static readonly NetworkTextStyle SearchStyle = new(text => $"'{Text.AttackerText.Escape(text, 64)}'", text => text);

    /// <summary>
    /// Parses the options strictly. Throws <see cref="OperatorException"/> with <see cref="ExitCodes.Usage"/> for a country that is not
    /// two letters or an AS number outside 1..4294967295 (RFC 6793 32-bit; 0 is reserved, RFC 7607), a search that is
    /// not an address or network, a <c>--since</c> that is neither a duration nor a date, a <c>--limit</c> below 1.
    /// </summary>
    public static BanListFilter Parse(string? country, string? asn, string? source = null, string? since = null, string? search = null, int? limit = null, DateTimeOffset now = default)
    {
        string? code = null;
        if (country is not null)
        {
            var trimmed = country.Trim();
            if (trimmed.Length != 2 || !trimmed.All(char.IsAsciiLetter))
            {
                throw new OperatorException(
                    $"--country '{Text.AttackerText.Escape(country, 16)}' is not a country code: give the two letters of ISO 3166-1 alpha-2, e.g. --country NL",
                    ExitCodes.Usage);
            }

            code = trimmed.ToUpperInvariant();
        }

        long? number = null;
        if (asn is not null)
        {
            var text = asn.Trim();
            if (text.StartsWith("AS", StringComparison.OrdinalIgnoreCase))
            {
                text = text[2..];
            }

            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > GeoIpSection.MaxAsn)
            {
                throw new OperatorException(
                    $"--asn '{Text.AttackerText.Escape(asn, 32)}' is not an AS number: give an integer 1-{GeoIpSection.MaxAsn}, e.g. --asn 64496",
                    ExitCodes.Usage);
            }

            number = parsed;
        }

        if (limit is < 1 or > MaxLimit)
        {
            throw new OperatorException(string.Create(CultureInfo.InvariantCulture, $"--limit {limit} is not a count of bans: give 1-{MaxLimit}, e.g. --limit 20"), ExitCodes.Usage);
        }

        IPNetwork? network = null;
        if (search is not null)
        {
            if (!NetworkText.TryParse(search, SearchStyle, out var parsed, out var error))
            {
                throw new OperatorException(error, ExitCodes.Usage);
            }

            network = parsed;
        }

        return new BanListFilter(code, number, source is { Length: > 0 } s ? s.Trim() : null, since is null ? null : ParseSince(since, now), network, limit);
    }

    /// <summary><c>--since 1h</c> (that long ago) or <c>--since 2026-12-01</c> / <c>2026-12-01T08:00</c> (local time unless an offset is given).</summary>
    public static DateTimeOffset ParseSince(string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (DurationSyntax.TryParse(text.Trim(), out var ago))
        {
            return now - ago;
        }

        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at))
        {
            return at;
        }

        throw new OperatorException(
            $"--since '{Text.AttackerText.Escape(text, 40)}' is neither a duration nor a date: give e.g. --since 1h, --since 2d or --since 2026-12-01T08:00",
            ExitCodes.Usage);
    }

    public bool Matches(ListedBan ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        var geo = ban.Row.Geo;
        return (CountryCode is null || string.Equals(geo?.CountryCode, CountryCode, StringComparison.OrdinalIgnoreCase))
            && (Asn is null || geo?.Asn == Asn)
            && (Source is null || SourceMatches(ban.Row.Source, Source))
            && (Since is null || ban.Row.BannedAt >= Since)
            && (Search is not { } search || Networks.Overlap(search, ban.Row.Target));
    }

    /// <summary>The source itself, any case; <c>crowdsec</c> also takes every fleet decision (<c>crowdsec:cscli</c>, <c>crowdsec:crowdsec</c>, …).</summary>
    internal static bool SourceMatches(string source, string wanted) =>
        string.Equals(source, wanted, StringComparison.OrdinalIgnoreCase)
        || (string.Equals(wanted + ":", Bans.BanSource.RemotePrefix, StringComparison.OrdinalIgnoreCase)
            && source.StartsWith(Bans.BanSource.RemotePrefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>The matching bans, in the order given (newest first), at most <see cref="Limit"/>.</summary>
    public IReadOnlyList<ListedBan> Apply(IEnumerable<ListedBan> bans)
    {
        var matching = bans.Where(Matches);
        return [.. Limit is { } limit ? matching.Take(limit) : matching];
    }
}
