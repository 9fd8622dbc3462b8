using System.Text;
using Tarpit.Metrics;

namespace Tarpit.Tests.Metrics;

public sealed class ScrapeRequestTests
{
    private static ScrapeRequest Parse(string head) => ScrapeRequest.Parse(Encoding.ASCII.GetBytes(head));

    [Theory]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9477\r\n\r\n", 200, false, false)]
    [InlineData("HEAD /metrics HTTP/1.1\r\n\r\n", 200, true, false)]
    [InlineData("GET /metrics?x=1 HTTP/1.0\r\n\r\n", 200, false, false)]
    [InlineData("GET /metrics HTTP/1.1\r\naccept: application/openmetrics-text; version=1.0.0,text/plain;q=0.5\r\n\r\n", 200, false, true)]
    [InlineData("GET /metricsx HTTP/1.1\r\n\r\n", 404, false, false)]
    [InlineData("DELETE /metrics HTTP/1.1\r\n\r\n", 405, false, false)]
    [InlineData("GET /metrics\r\n\r\n", 400, false, false)]
    [InlineData("GET /metrics HTTP/1.1\r\n", 400, false, false)]
    public void A_request_head_is_read_into_what_to_answer(string head, int status, bool headOnly, bool openMetrics)
    {
        var request = Parse(head);

        Assert.Equal(status, request.Status);
        Assert.Equal(headOnly, request.HeadOnly);
        Assert.Equal(openMetrics, request.OpenMetrics);
    }
}
