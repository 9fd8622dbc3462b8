using Tarpit.Config;

namespace Tarpit.Tests.Config;

public sealed class ConfigLoaderWatchGeoIpTests
{
    [Fact]
    public void Watch_with_both_path_and_journal_unit_is_reported()
    {
        var error = ConfigErrors.Single("[[watch]]\nname = \"w\"\npath = \"/var/log/auth.log\"\njournal_unit = \"ssh.service\"\n");

        Assert.Equal("tarpit.toml:4:16: error: [[watch]] has both 'path' and 'journal_unit'; give exactly one: a log file to follow or a systemd unit whose journal to read", error);
    }

    [Fact]
    public void Watch_with_neither_path_nor_journal_unit_is_reported_at_the_header()
    {
        var error = ConfigErrors.Single("\n[[watch]]\nname = \"w\"\n");

        Assert.Equal("tarpit.toml:2:1: error: [[watch]] has neither 'path' nor 'journal_unit'; give exactly one, e.g. journal_unit = \"ssh.service\" or path = \"/var/log/auth.log\"", error);
    }

    [Fact]
    public void Duplicate_watch_names_are_reported()
    {
        var error = ConfigErrors.Single("[[watch]]\nname = \"w\"\njournal_unit = \"a\"\n[[watch]]\nname = \"w\"\njournal_unit = \"b\"\n");

        Assert.Equal("tarpit.toml:5:8: error: duplicate watch name \"w\": the watch on line 2 already has it; watch names must be unique", error);
    }

    [Theory]
    [InlineData("mode = \"paranoid\"", "tarpit.toml:4:8: error: unknown watch mode \"paranoid\"; allowed: normal, ddos, extra, aggressive (or leave it out)")]
    [InlineData("max_retry = 0", "tarpit.toml:4:13: error: 'max_retry' is out of range: found 0, allowed 1-1000")]
    [InlineData("max_retry = 1001", "tarpit.toml:4:13: error: 'max_retry' is out of range: found 1001, allowed 1-1000")]
    [InlineData("find_time = \"0m\"", "tarpit.toml:4:13: error: 'find_time' must be longer than zero: found string \"0m\", expected a positive duration like \"10s\" or \"1h\"")]
    public void Watch_values_are_checked(string line, string expected)
    {
        Assert.Equal(expected, ConfigErrors.Single($"[[watch]]\nname = \"w\"\njournal_unit = \"ssh.service\"\n{line}\n"));
    }

    [Fact]
    public void Filter_that_is_neither_built_in_nor_a_file_is_reported()
    {
        var error = ConfigErrors.Single("[[watch]]\nname = \"w\"\njournal_unit = \"ssh.service\"\nfilter = \"no-such.filter\"\n");

        var full = Path.GetFullPath("no-such.filter");
        Assert.Equal($"tarpit.toml:4:10: error: 'filter' \"no-such.filter\" is neither a built-in filter (sshd, http-probe) nor an existing file (looked for \"{full}\")", error);
    }

    [Theory]
    [InlineData("allow_countries = [\"de\"]\ncity_db = \"\"", "tarpit.toml:2:20: error: invalid 'allow_countries' entry: found string \"de\", expected an ISO 3166-1 alpha-2 code in upper case, e.g. \"DE\"")]
    [InlineData("allow_asns = [0]", "tarpit.toml:2:15: error: invalid 'allow_asns' entry: found integer 0, expected an AS number as an integer 1-4294967295, e.g. 64496")]
    [InlineData("allow_asns = [4294967296]", "tarpit.toml:2:15: error: invalid 'allow_asns' entry: found integer 4294967296, expected an AS number as an integer 1-4294967295, e.g. 64496")]
    [InlineData("allow_asns = [64496]", "tarpit.toml:2:1: error: 'allow_asns' needs 'asn_db' to look addresses up; set asn_db to a MaxMind .mmdb file, or set allow_asns = []")]
    public void Geoip_allow_lists_are_checked(string lines, string expected)
    {
        Assert.Equal(expected, ConfigErrors.Single($"[geoip]\n{lines}\n"));
    }

    [Fact]
    public void Missing_geoip_database_is_accepted_so_the_agent_can_pick_it_up_when_it_appears()
    {
        var config = ConfigLoader.Parse("[geoip]\ncity_db = \"missing-city.mmdb\"\nasn_db = \"missing.mmdb\"\nallow_asns = [64496]\nallow_countries = [\"DE\"]\n", ConfigErrors.File);

        Assert.Equal(Path.GetFullPath("missing.mmdb"), config.GeoIp.AsnDb);
        Assert.Equal(Path.GetFullPath("missing-city.mmdb"), config.GeoIp.CityDb);
        Assert.Equal([64496L], config.GeoIp.AllowAsns);
        Assert.Equal(["DE"], config.GeoIp.AllowCountries);
    }

    [Fact]
    public void Allow_countries_without_city_db_is_reported()
    {
        var error = ConfigErrors.Single("[geoip]\nasn_db = \"asn.mmdb\"\nallow_countries = [\"NL\"]\n");

        Assert.Equal("tarpit.toml:3:1: error: 'allow_countries' needs 'city_db' to look addresses up; set city_db to a MaxMind .mmdb file, or set allow_countries = []", error);
    }
}
