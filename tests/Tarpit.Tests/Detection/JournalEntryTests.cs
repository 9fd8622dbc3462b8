using System.Text;
using Tarpit.Detection.Sources;

namespace Tarpit.Tests.Detection;

public sealed class JournalEntryTests
{
    [Fact]
    public void A_string_message_with_source_time_and_identifier_is_read()
    {
        const string json = """{"__CURSOR":"s=1;i=2","__REALTIME_TIMESTAMP":"1795428000000000","_SOURCE_REALTIME_TIMESTAMP":"1795428000123456","SYSLOG_IDENTIFIER":"sshd-session","MESSAGE":"Invalid user a from 192.0.2.1 port 22","_PID":"42"}""";

        Assert.True(JournalEntry.TryParse(Encoding.UTF8.GetBytes(json), out var entry));

        Assert.Equal("Invalid user a from 192.0.2.1 port 22", entry!.Message);
        Assert.Equal("sshd-session", entry.Program);
        Assert.Equal("s=1;i=2", entry.Cursor);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795428000123).AddTicks(4560), entry.Timestamp);
    }

    [Fact]
    public void A_byte_array_message_is_decoded_and_the_realtime_timestamp_is_the_fallback()
    {
        var bytes = string.Join(',', "Invalid user \u001b from 192.0.2.2 port 22"u8.ToArray());
        var json = $$"""{"__REALTIME_TIMESTAMP":"1795428000000000","SYSLOG_IDENTIFIER":"sshd","MESSAGE":[{{bytes}}]}""";

        Assert.True(JournalEntry.TryParse(Encoding.UTF8.GetBytes(json), out var entry));

        Assert.Equal("Invalid user \u001b from 192.0.2.2 port 22", entry!.Message);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795428000), entry.Timestamp);
    }

    [Theory]
    [InlineData("""{"MESSAGE":null,"__REALTIME_TIMESTAMP":"1"}""")]
    [InlineData("""{"MESSAGE":"x"}""")]
    [InlineData("""{"MESSAGE":[300],"__REALTIME_TIMESTAMP":"1"}""")]
    [InlineData("not json")]
    [InlineData("")]
    public void Entries_without_a_usable_message_or_time_are_skipped(string json)
    {
        Assert.False(JournalEntry.TryParse(Encoding.UTF8.GetBytes(json), out _));
    }

    [Theory]
    [InlineData(16384, null, false)]
    [InlineData(16385, null, true)]
    [InlineData(100, "line-max", true)]
    [InlineData(100, "eof", false)]
    public void A_message_longer_than_the_line_bound_or_cut_by_journald_is_cut(int bytes, string? lineBreak, bool cut)
    {
        var message = new string('a', bytes);
        var field = lineBreak is null ? "" : $$""","_LINE_BREAK":"{{lineBreak}}" """;
        var json = $$"""{"__REALTIME_TIMESTAMP":"1795428000000000","MESSAGE":"{{message}}"{{field}}}""";

        Assert.True(JournalEntry.TryParse(Encoding.UTF8.GetBytes(json), out var entry));

        Assert.Equal((bytes, cut), (entry!.MessageBytes, entry.IsCut));
    }

    [Fact]
    public void A_byte_array_message_is_measured_in_its_bytes_not_its_replacement_characters()
    {
        var bytes = string.Join(',', Enumerable.Repeat(0xff, JournalEntry.MaxMessageBytes));
        var json = $$"""{"__REALTIME_TIMESTAMP":"1795428000000000","MESSAGE":[{{bytes}}]}""";

        Assert.True(JournalEntry.TryParse(Encoding.UTF8.GetBytes(json), out var entry));

        Assert.Equal((JournalEntry.MaxMessageBytes, false), (entry!.MessageBytes, entry.IsCut));
    }
}
