using System.Text.Json;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Geo;

/// <summary>
/// MaxMind.GeoIP2's responses are decoded by reflection, which a JIT build always has and a trimmed Native AOT binary
/// has only for what src/Tarpit.Agent/GeoIP2.Roots.xml keeps: so the lookup is checked in the binary operators install.
/// </summary>
public sealed class AotGeoLookupSystemTests
{
    [SystemFact(false, NeedsAotAgent = true)]
    public async Task The_native_agent_stores_the_country_and_as_of_a_ban_from_a_city_or_country_and_an_asn_database()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var fixtures = Path.Combine(AotAgent.RepositoryRoot, "tests", "fixtures", "geoip");
        foreach (var cityDb in new[] { "Tarpit-City.mmdb", "Tarpit-Country.mmdb" })
        {
            var root = Directory.CreateTempSubdirectory("tarpit-aot-geo-");
            try
            {
                var config = Path.Combine(root.FullName, "tarpit.toml");
                await File.WriteAllTextAsync(config, $"""
                    [agent]
                    state_dir = "{Path.Combine(root.FullName, "state")}"
                    log_file = ""

                    [firewall]
                    enabled = false

                    [geoip]
                    city_db = "{Path.Combine(fixtures, cityDb)}"
                    asn_db = "{Path.Combine(fixtures, "Tarpit-ASN.mmdb")}"
                    """, cts.Token);

                foreach (var address in new[] { "192.0.2.7", "2001:db8:2:0:ffff::1", "8.8.8.8" })
                {
                    var ban = await AotAgent.RunAsync(["ban", address, "--for", "1h", "--config", config], cts.Token);
                    Assert.True(ban.ExitCode == 0, $"{cityDb}: ban {address}: exit {ban.ExitCode}\n{ban.StandardOutput}{ban.StandardError}");
                    Assert.DoesNotContain("GeoIP", ban.StandardError, StringComparison.Ordinal);
                }

                var list = await AotAgent.RunAsync(["list", "--json", "--config", config], cts.Token);
                Assert.True(list.ExitCode == 0, $"{cityDb}: list: exit {list.ExitCode}\n{list.StandardOutput}{list.StandardError}");
                using var json = JsonDocument.Parse(list.StandardOutput);
                var rows = json.RootElement.EnumerateArray().ToDictionary(
                    row => row.GetProperty("address").GetString()!,
                    row => $"{Text(row, "country_code")} {Text(row, "country_name")} {Text(row, "asn")} {Text(row, "as_org")}");

                Assert.Equal("NL Netherlands 64500 Example Attackers BV", rows["192.0.2.7"]);
                Assert.Equal("DE Germany 64501 Innocent GmbH", rows["2001:db8:2:0:ffff::1"]);
                Assert.Equal("- - - -", rows["8.8.8.8"]);
            }
            finally
            {
                root.Delete(recursive: true);
            }
        }
    }

    private static string Text(JsonElement row, string property) => row.GetProperty(property) switch
    {
        { ValueKind: JsonValueKind.Null } => "-",
        { ValueKind: JsonValueKind.Number } number => number.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
        var text => text.GetString()!,
    };
}
