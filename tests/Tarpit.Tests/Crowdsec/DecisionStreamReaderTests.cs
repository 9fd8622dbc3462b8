using System.Text;
using Tarpit.Crowdsec;

namespace Tarpit.Tests.Crowdsec;

/// <summary>Issue 17: the decision stream read as it arrives, one decision at a time, its body, decisions and lists bounded.</summary>
public sealed class DecisionStreamReaderTests
{
    private const string One = """{"duration":"3h59m59s","id":7,"origin":"cscli","scenario":"manual 'ban' from 'm'","scope":"Ip","type":"ban","value":"192.0.2.7","simulated":false}""";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Many(int count, string element = One)
    {
        var json = new StringBuilder("{\"deleted\":null,\"new\":[");
        for (var i = 0; i < count; i++)
        {
            json.Append(i > 0 ? "," : "").Append(element);
        }

        return Utf8(json.Append("]}").ToString());
    }

    [Fact]
    public async Task The_stream_json_is_read_with_null_lists_as_empty()
    {
        var sink = new CollectingSink();

        var truncated = await sink.ReadAsync(Utf8($$"""{"new":[{{One}}],"deleted":null}"""));

        var decision = Assert.Single(sink.New);
        Assert.Equal(7, decision.Id);
        Assert.Equal("192.0.2.7", decision.Value);
        Assert.Equal("3h59m59s", decision.Duration);
        Assert.False(decision.Simulated);
        Assert.Empty(sink.Deleted);
        Assert.False(truncated);
    }

    [Fact]
    public async Task Both_lists_in_either_order_unknown_fields_and_null_elements()
    {
        var sink = new CollectingSink();

        await sink.ReadAsync(Utf8($$"""
            {"extra":{"a":[1,{"b":2}]},"new":[null,{"uuid":"x","until":"2026-12-02T10:00:00Z","nested":{"x":[1]},"id":3,"value":"192.0.2.3","scope":"Ip"}],
             "deleted":[{{One}}],"more":[1,2]}
            """));

        Assert.Equal([3L], sink.New.Select(d => d.Id));
        Assert.Equal("192.0.2.3", sink.New[0].Value);
        Assert.Null(sink.New[0].Origin);
        Assert.Equal([7L], sink.Deleted.Select(d => d.Id));
    }

    [Fact]
    public async Task A_body_arriving_a_few_bytes_at_a_time_reads_the_same()
    {
        var json = Many(300);
        var sink = new CollectingSink();

        using var body = new TrickleStream(json);
        await DecisionStreamReader.ReadAsync(body, sink, DecisionStreamReader.MaxBodyBytes, CancellationToken.None);

        Assert.Equal(300, sink.New.Count);
        Assert.All(sink.New, d => Assert.Equal("192.0.2.7", d.Value));
    }

    [Fact]
    public async Task A_large_answer_is_handed_over_in_batches_while_it_is_read()
    {
        var sink = new CollectingSink(batch: 1_000);

        await sink.ReadAsync(Many(10_000));

        Assert.Equal(10_000, sink.Flushes.Sum());
        Assert.True(sink.Flushes.Count >= 10, $"{sink.Flushes.Count} flushes");
        // A flush comes at the first chunk boundary past the batch: at most one buffer of decisions more.
        Assert.All(sink.Flushes, count => Assert.InRange(count, 1, 1_000 + (DecisionStreamReader.MaxDecisionBytes / One.Length) + 1));
    }

    [Theory]
    [InlineData("{\"new\":[{\"id\":\"x\"}")]
    [InlineData("{\"new\":[{\"id\":\"x\"}]}")]
    [InlineData("{\"new\":[{\"id\":1,\"value\":7}]}")]
    [InlineData("{\"new\":[{\"simulated\":\"yes\"}]}")]
    [InlineData("{\"new\":{\"id\":1}}")]
    [InlineData("{\"new\":[1]}")]
    [InlineData("[]")]
    [InlineData("{\"new\":[]")]
    [InlineData("")]
    public async Task Broken_json_is_a_lapi_error_not_a_crash(string json)
    {
        var error = await Assert.ThrowsAsync<LapiException>(() => new CollectingSink().ReadAsync(Utf8(json)));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_body_is_bounded_at_its_limit()
    {
        var json = Many(50);

        await new CollectingSink().ReadAsync(json, maxBodyBytes: json.Length);
        var error = await Assert.ThrowsAsync<LapiException>(() => new CollectingSink().ReadAsync(json, maxBodyBytes: json.Length - 1));

        Assert.Contains($"longer than {json.Length - 1} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_decision_is_bounded_at_max_decision_bytes()
    {
        // {"deleted":null,"new":[ is consumed before the first decision: the object alone fills the buffer at the bound.
        static string Sized(int bytes) => "{\"scenario\":\"" + new string('s', bytes - "{\"scenario\":\"\"}".Length) + "\"}";

        var sink = new CollectingSink();
        await sink.ReadAsync(Many(2, Sized(DecisionStreamReader.MaxDecisionBytes - 1)));
        var error = await Assert.ThrowsAsync<LapiException>(() => new CollectingSink().ReadAsync(Many(2, Sized(DecisionStreamReader.MaxDecisionBytes + 1))));

        Assert.Equal(2, sink.New.Count);
        Assert.Contains($"longer than {DecisionStreamReader.MaxDecisionBytes} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_is_cut_past_max_decisions_per_list()
    {
        var atBound = new CollectingSink();
        var past = new CollectingSink();

        var cutAtBound = await atBound.ReadAsync(Many(DecisionStreamReader.MaxDecisionsPerList, "{}"));
        var cutPast = await past.ReadAsync(Many(DecisionStreamReader.MaxDecisionsPerList + 1, "{}"));

        Assert.False(cutAtBound);
        Assert.Equal(DecisionStreamReader.MaxDecisionsPerList, atBound.New.Count);
        Assert.True(cutPast);
        Assert.Equal(DecisionStreamReader.MaxDecisionsPerList, past.New.Count);
    }

    /// <summary>A body that gives 1 to 7 bytes per read, as a slow network would.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        private int _reads;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1 + (_reads++ % 7))], cancellationToken);
    }
}
