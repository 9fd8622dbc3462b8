using Tarpit.Config;
using Tarpit.Tarpits.Engine;

namespace Tarpit.Tests.Tarpits.Engine;

/// <summary>The mode vocabulary is spelled once (<see cref="ModeCatalog"/>); the engine builds exactly those modes.</summary>
public sealed class ModeFactoryTests
{
    public static TheoryData<string, string> EveryMode()
    {
        var data = new TheoryData<string, string>();
        foreach (var protocol in Enum.GetValues<TarpitProtocol>())
        {
            foreach (var mode in ModeCatalog.For(protocol))
            {
                data.Add(ModeCatalog.Name(protocol), mode);
            }
        }

        return data;
    }

    [Fact]
    public void Every_mode_the_config_allows_has_exactly_one_builder_and_no_builder_is_unreachable()
    {
        foreach (var protocol in Enum.GetValues<TarpitProtocol>())
        {
            Assert.Equal(
                ModeCatalog.For(protocol).Order(StringComparer.Ordinal),
                ModeFactory.Builders[protocol].Keys.Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(EveryMode))]
    public void A_mode_built_from_a_loaded_config_reports_the_name_it_was_configured_with(string protocol, string mode)
    {
        var config = ConfigLoader.Parse(
            $"[[tarpit]]\nname = \"t\"\nprotocol = \"{protocol}\"\nmode = \"{mode}\"\nlisten = [\"127.0.0.1:2222\"]\n",
            "tarpit.toml");

        var built = ModeFactory.Create(Assert.Single(config.Tarpits));

        Assert.Equal(mode, built.Name);
    }

    [Fact]
    public void Each_protocol_has_a_default_mode_a_standard_port_and_a_name_that_parses_back()
    {
        foreach (var protocol in Enum.GetValues<TarpitProtocol>())
        {
            Assert.Contains(ModeCatalog.Default(protocol), ModeCatalog.For(protocol));
            Assert.InRange(ModeCatalog.StandardPort(protocol), 1, 65535);
            Assert.True(ModeCatalog.TryParseProtocol(ModeCatalog.Name(protocol), out var back));
            Assert.Equal(protocol, back);
        }
    }
}
