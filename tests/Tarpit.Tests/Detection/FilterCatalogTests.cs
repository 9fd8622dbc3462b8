using Tarpit.Config;
using Tarpit.Detection.Filters;

namespace Tarpit.Tests.Detection;

/// <summary>The filter vocabulary is spelled once (<see cref="FilterNames"/>); detection builds exactly those filters.</summary>
public sealed class FilterCatalogTests
{
    [Fact]
    public void Every_built_in_filter_name_has_exactly_one_builder()
    {
        Assert.Equal(FilterNames.BuiltIn.Order(StringComparer.Ordinal), FilterCatalog.Builders.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(FilterNames.Default, FilterNames.BuiltIn);
        Assert.Equal(FilterNames.NormalMode, FilterNames.Modes[0]);
    }

    [Theory]
    [InlineData(FilterNames.Sshd, null)]
    [InlineData(FilterNames.Sshd, FilterNames.AggressiveMode)]
    [InlineData(FilterNames.HttpProbe, FilterNames.NormalMode)]
    public void A_built_in_filter_reports_the_name_it_was_built_for(string name, string? mode)
    {
        var filter = FilterCatalog.Create(name, mode, Path.GetTempPath());

        Assert.Equal(name, filter.Name);
    }

    [Fact]
    public void A_watch_with_an_unknown_mode_is_a_config_error_before_any_filter_is_built()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(
            "[[watch]]\nname = \"w\"\npath = \"auth.log\"\nmode = \"paranoid\"\n", "tarpit.toml"));

        Assert.Contains("tarpit.toml:4:8:", error.Message, StringComparison.Ordinal);
        Assert.Contains("allowed: normal, ddos, extra, aggressive", error.Message, StringComparison.Ordinal);
    }
}
