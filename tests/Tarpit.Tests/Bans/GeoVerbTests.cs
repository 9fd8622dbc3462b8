using System.CommandLine;
using System.Text.Json;
using Tarpit.Agent;
using Tarpit.Tests.Geo;

namespace Tarpit.Tests.Bans;

/// <summary>
/// The <c>ban</c> and <c>list</c> verbs with the fixture GeoIP databases and a real store in a temp directory
/// (firewall.enabled = false: no nft is touched).
/// </summary>
public sealed class GeoVerbTests : IDisposable
{
    private static readonly string[] GeoFields = ["country_code", "country_name", "asn", "as_org"];

    private readonly GeoFixture _geo = new();
    private readonly string _config;

    public GeoVerbTests()
    {
        _geo.Install(GeoFixture.City);
        _geo.Install(GeoFixture.Asn);
        _config = _geo.PathOf("tarpit.toml");
        File.WriteAllText(
            _config,
            $"""
            [agent]
            state_dir = "state"
            [firewall]
            enabled = false
            [geoip]
            city_db = "{GeoFixture.City}"
            asn_db = "{GeoFixture.Asn}"
            allow_asns = [64502]
            allow_countries = ["DE"]
            """);
    }

    public void Dispose() => _geo.Dispose();

    [Fact]
    public async Task List_json_carries_the_country_and_as_stored_at_ban_time_and_null_when_unknown()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(0, (await RunAsync(["ban", "192.0.2.7", "2001:db8:9::1"], cts.Token)).ExitCode);

        var (exitCode, output, _) = await RunAsync(["list", "--json"], cts.Token);

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        var rows = json.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("address").GetString()!);
        var known = rows["192.0.2.7"];
        Assert.Equal(
            ("NL", "Netherlands", 64500L, "Example Attackers BV"),
            (known.GetProperty("country_code").GetString(), known.GetProperty("country_name").GetString(), known.GetProperty("asn").GetInt64(), known.GetProperty("as_org").GetString()));
        var unknown = rows["2001:db8:9::1"];
        Assert.All(
            GeoFields,
            name => Assert.Equal(JsonValueKind.Null, unknown.GetProperty(name).ValueKind));
    }

    [Fact]
    public async Task List_filters_by_country_and_by_asn()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(0, (await RunAsync(["ban", "192.0.2.7", "2001:db8:1::7", "2001:db8:9::1"], cts.Token)).ExitCode);

        var byCountry = await ListedAsync(["--country", "nl"], cts.Token);
        var byAsn = await ListedAsync(["--asn", "AS64500"], cts.Token);
        var none = await ListedAsync(["--country", "NL", "--asn", "64501"], cts.Token);

        Assert.Equal(["192.0.2.7", "2001:db8:1::7"], byCountry.Order(StringComparer.Ordinal));
        Assert.Equal(["192.0.2.7", "2001:db8:1::7"], byAsn.Order(StringComparer.Ordinal));
        Assert.Empty(none);
    }

    [Fact]
    public async Task List_table_shows_country_and_asn_columns()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(0, (await RunAsync(["ban", "192.0.2.7"], cts.Token)).ExitCode);

        var (exitCode, output, _) = await RunAsync(["list"], cts.Token);

        Assert.Equal(0, exitCode);
        Assert.Contains("Country", output, StringComparison.Ordinal);
        Assert.Contains("AS64500 Example Attackers BV", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--country", "NLD", "--country 'NLD' is not a country code")]
    [InlineData("--country", "N1", "--country 'N1' is not a country code")]
    [InlineData("--asn", "0", "--asn '0' is not an AS number: give an integer 1-4294967295")]
    [InlineData("--asn", "4294967296", "--asn '4294967296' is not an AS number")]
    [InlineData("--asn", "-5", "--asn '-5' is not an AS number")]
    [InlineData("--asn", "big", "--asn 'big' is not an AS number")]
    public async Task List_rejects_a_bad_filter_with_exit_2(string option, string value, string message)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var (exitCode, output, error) = await RunAsync(["list", option, value], cts.Token);

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_accepts_the_largest_as_number()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var listed = await ListedAsync(["--asn", "4294967295"], cts.Token);

        Assert.Empty(listed);
    }

    [Theory]
    [InlineData("203.0.113.80", "203.0.113.80: AS64502 (Crawler Inc) is in geoip.allow_asns")]
    [InlineData("198.51.100.0/24", "198.51.100.0/24: it overlaps 198.51.100.0/24, where country DE (Germany) is in geoip.allow_countries")]
    [InlineData("198.51.0.0/16", "198.51.0.0/16: it overlaps 198.51.100.0/24, where country DE (Germany) is in geoip.allow_countries")]
    public async Task Ban_refuses_a_geoip_allowlisted_target_with_exit_3_naming_the_rule_and_changes_nothing(string target, string rule)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var (exitCode, _, error) = await RunAsync(["ban", "192.0.2.7", target], cts.Token);

        Assert.Equal(3, exitCode);
        Assert.Contains(rule, error, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", error, StringComparison.Ordinal);
        Assert.Empty(await ListedAsync(["--all"], cts.Token));
    }

    private async Task<List<string>> ListedAsync(string[] options, CancellationToken cancellationToken)
    {
        var (exitCode, output, error) = await RunAsync(["list", "--json", .. options], cancellationToken);
        Assert.True(exitCode == 0, error);
        using var json = JsonDocument.Parse(output);
        return [.. json.RootElement.EnumerateArray().Select(r => r.GetProperty("address").GetString()!)];
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var parseResult = AgentCli.Build().Parse([.. args, "--config", _config]);
        var exitCode = await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
