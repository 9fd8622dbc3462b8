using System.Text;

namespace Tarpit.Tarpits.Http;

/// <summary>
/// Plausible HTML for drip bodies and bombs: a site-like page whose article text is drawn once per process from word
/// lists (so two installations do not serve the same page), and the bomb's page of whitespace, which deflate
/// compresses best (a period-1 run codes 258 bytes in about two bits: ~1030:1).
/// </summary>
internal static class HtmlContent
{
    private static readonly string[] Words =
    [
        "server", "update", "release", "notes", "support", "account", "customer", "service", "network", "storage",
        "security", "policy", "pricing", "team", "project", "status", "report", "archive", "contact", "about", "blog",
        "the", "a", "of", "to", "and", "in", "for", "with", "on", "our", "your", "new", "more", "all", "is", "are",
        "we", "you", "this", "that", "from", "by", "will", "can", "has", "have", "been", "available", "now", "today",
        "information", "documentation", "download", "install", "configure", "performance", "latest", "version",
    ];

    private static readonly string[] Sites = ["Home", "Welcome", "Portal", "Dashboard", "Intranet", "Docs", "News", "Shop"];

    /// <summary>A page of articles for drip mode, exactly <paramref name="length"/> bytes long.</summary>
    public static HtmlDocument Article(long length, Random random)
    {
        var title = Sites[random.Next(Sites.Length)] + " - " + Sentence(random, 3).TrimEnd('.');
        var prefix = Head(title) + "<body>\n<header><nav><a href=\"/\">Home</a> | <a href=\"/about\">About</a> | " +
            "<a href=\"/contact\">Contact</a></nav></header>\n<main>\n";
        var middle = new StringBuilder();
        for (var article = 0; article < 12; article++)
        {
            middle.Append("<article>\n<h2>").Append(Sentence(random, 4 + random.Next(4)).TrimEnd('.')).Append("</h2>\n");
            for (var paragraph = 0; paragraph < 3; paragraph++)
            {
                middle.Append("<p>");
                for (var sentence = 0; sentence < 4; sentence++)
                {
                    middle.Append(Sentence(random, 6 + random.Next(10))).Append(' ');
                }

                middle.Append("</p>\n");
            }

            middle.Append("</article>\n");
        }

        return new HtmlDocument(
            Encoding.ASCII.GetBytes(prefix),
            Encoding.ASCII.GetBytes(middle.ToString()),
            "</main>\n<footer>&copy; 2025</footer>\n</body>\n</html>\n"u8.ToArray(),
            length);
    }

    /// <summary>The bomb's page: a normal head, a body of <paramref name="length"/> bytes of mostly spaces.</summary>
    public static HtmlDocument Bomb(long length, Random random)
    {
        var prefix = Head(Sites[random.Next(Sites.Length)] + " - " + Sentence(random, 2).TrimEnd('.')) + "<body>\n<div>";
        return new HtmlDocument(Encoding.ASCII.GetBytes(prefix), " "u8.ToArray(), "</div>\n</body>\n</html>\n"u8.ToArray(), length);
    }

    private static string Head(string title) =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" +
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + title +
        "</title>\n<link rel=\"stylesheet\" href=\"/css/site.css\">\n</head>\n";

    private static string Sentence(Random random, int words)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            var word = Words[random.Next(Words.Length)];
            builder.Append(i == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : " " + word);
        }

        return builder.Append('.').ToString();
    }
}
