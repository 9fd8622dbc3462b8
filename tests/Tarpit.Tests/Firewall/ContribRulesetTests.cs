using System.Runtime.CompilerServices;
using Tarpit.Config;
using Tarpit.Firewall;

namespace Tarpit.Tests.Firewall;

public sealed class ContribRulesetTests
{
    [Fact]
    public void Contrib_tarpit_nft_is_what_the_agent_installs_for_the_reference_config()
    {
        var root = RepositoryRoot();
        var config = ConfigLoader.Load(Path.Combine(root, "tarpit.toml"));

        var rendered = RulesetRenderer.Render(config.Firewall, config.Tarpits);

        var file = File.ReadAllText(Path.Combine(root, "contrib", "nftables", "tarpit.nft"));
        Assert.Equal(WithoutComments(rendered), WithoutComments(file));
    }

    private static string WithoutComments(string text) =>
        string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Where(l => !l.TrimStart().StartsWith('#'))).Trim();

    private static string RepositoryRoot([CallerFilePath] string source = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(source)!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tarpit.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Tarpit.sln not found above " + source);
    }
}
