using System.Text;
using Tarpit.Tarpits.Http;

namespace Tarpit.Tests.Tarpits.Http;

public sealed class HtmlDocumentTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(100_000)]
    public void Copies_from_any_offset_match_the_materialised_document(long length)
    {
        var document = new HtmlDocument("<html>"u8.ToArray(), "abc"u8.ToArray(), "</html>"u8.ToArray(), length);
        var expected = Materialise("<html>", "abc", "</html>", length);
        var random = new Random(7);

        for (var i = 0; i < 200; i++)
        {
            var offset = random.NextInt64(length + 2);
            var buffer = new byte[random.Next(1, 5000)];
            var copied = document.CopyTo(offset, buffer);

            var expectedCount = (int)Math.Clamp(length - offset, 0, buffer.Length);
            Assert.Equal(expectedCount, copied);
            Assert.True(expected.AsSpan((int)Math.Min(offset, length), copied).SequenceEqual(buffer.AsSpan(0, copied)));
        }
    }

    [Fact]
    public void An_article_of_a_given_length_is_a_whole_html_page_of_exactly_that_length()
    {
        var document = HtmlContent.Article(50_000, new Random(3));
        var buffer = new byte[60_000];

        var copied = document.CopyTo(0, buffer);

        Assert.Equal(50_000, copied);
        var text = Encoding.ASCII.GetString(buffer, 0, copied);
        Assert.StartsWith("<!DOCTYPE html>", text, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", text, StringComparison.Ordinal);
    }

    private static byte[] Materialise(string prefix, string middle, string suffix, long length)
    {
        if (length < prefix.Length + suffix.Length)
        {
            return Encoding.ASCII.GetBytes((prefix + suffix)[..(int)length]);
        }

        var body = new StringBuilder(prefix);
        while (body.Length < length - suffix.Length)
        {
            body.Append(middle);
        }

        body.Length = (int)length - suffix.Length;
        return Encoding.ASCII.GetBytes(body.Append(suffix).ToString());
    }
}
