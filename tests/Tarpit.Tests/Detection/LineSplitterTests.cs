using System.Text;
using Tarpit.Detection.Sources;

namespace Tarpit.Tests.Detection;

public sealed class LineSplitterTests
{
    [Fact]
    public void A_partial_line_is_held_until_its_newline_arrives()
    {
        var splitter = new LineSplitter();
        var lines = new List<string>();

        splitter.Push("first\r\nsec"u8, l => lines.Add(Encoding.UTF8.GetString(l)));
        var afterFirstPush = lines.Count;
        splitter.Push("ond\n"u8, l => lines.Add(Encoding.UTF8.GetString(l)));

        Assert.Equal(1, afterFirstPush);
        Assert.Equal(["first", "second"], lines);
        Assert.False(splitter.HasPartialLine);
    }

    [Fact]
    public void A_line_of_exactly_the_bound_is_delivered_and_one_byte_more_is_cut_counted_and_never_delivered()
    {
        var splitter = new LineSplitter(maxLineBytes: 8);
        var lines = new List<string>();
        var cut = new List<string>();

        splitter.Push("12345678\n123456789abc"u8, l => lines.Add(Encoding.UTF8.GetString(l)), l => cut.Add(Encoding.UTF8.GetString(l)));
        splitter.Push("def\nnext\n"u8, l => lines.Add(Encoding.UTF8.GetString(l)), l => cut.Add(Encoding.UTF8.GetString(l)));

        Assert.Equal(["12345678", "next"], lines);
        Assert.Equal(["12345678"], cut);
        Assert.Equal(1, splitter.CutLines);
    }

    [Fact]
    public void A_line_that_fills_the_bound_across_reads_is_delivered_whole_or_cut_by_the_byte_that_follows()
    {
        var splitter = new LineSplitter(maxLineBytes: 8);
        var lines = new List<string>();

        splitter.Push("1234"u8, l => lines.Add(Encoding.UTF8.GetString(l)));
        splitter.Push("5678"u8, l => lines.Add(Encoding.UTF8.GetString(l)));
        splitter.Push("\nabcd"u8, l => lines.Add(Encoding.UTF8.GetString(l)));
        splitter.Push("efgh"u8, l => lines.Add(Encoding.UTF8.GetString(l)));
        splitter.Push("i\nlast\n"u8, l => lines.Add(Encoding.UTF8.GetString(l)));

        Assert.Equal(["12345678", "last"], lines);
        Assert.Equal(1, splitter.CutLines);
    }

    [Fact]
    public void Flush_delivers_the_last_line_of_a_file_that_will_not_grow()
    {
        var splitter = new LineSplitter();
        var lines = new List<string>();

        splitter.Push("no newline"u8, l => lines.Add(Encoding.UTF8.GetString(l)));
        splitter.Flush(l => lines.Add(Encoding.UTF8.GetString(l)));

        Assert.Equal(["no newline"], lines);
    }
}
