using System.Globalization;
using Tarpit.Config;

namespace Tarpit.Agent.Listing;

/// <summary>
/// <c>tarpit-agent list --country XX --asn N</c>: keeps the bans whose stored GeoIP answer matches every given
/// filter. A ban with no known country (or AS) never matches that filter.
/// </summary>
/// <param name="CountryCode">ISO 3166-1 alpha-2, upper case; null when not filtered.</param>
/// <param name="Asn">An AS number; null when not filtered.</param>
internal sealed record BanListFilter(string? CountryCode, long? Asn)
{
    public static BanListFilter None { get; } = new(null, null);

    /// <summary>
    /// Parses the options strictly. Throws <see cref="OperatorException"/> with <see cref="ExitCodes.Usage"/> for a country that is not
    /// two letters or an AS number outside 1..4294967295 (RFC 6793 32-bit; 0 is reserved, RFC 7607).
    /// </summary>
    public static BanListFilter Parse(string? country, string? asn)
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

        return new BanListFilter(code, number);
    }

    public bool Matches(ListedBan ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        var geo = ban.Row.Geo;
        return (CountryCode is null || string.Equals(geo?.CountryCode, CountryCode, StringComparison.OrdinalIgnoreCase))
            && (Asn is null || geo?.Asn == Asn);
    }
}
