using System.Net;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Resilience;

/// <summary>
/// The daemon sends a new ban as nft's <c>create element</c> (no add/delete of a replaced timeout). When the element
/// is in the set after all (here put there by hand with a 30 s timeout, as the element of a ban that just ended is for
/// a moment), nft refuses the create and the daemon replaces it: the new ban's hour is in the kernel, never the 30 s
/// left of the old one, and the fifty new bans in the same batch land with it (nft refuses the create batch as a whole,
/// so without the replacing batch none of them would be in the kernel).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CreateFallbackSystemTests
{
    [SystemFact(true, "ip", "nft")]
    public async Task A_new_ban_whose_element_lingers_in_the_kernel_gets_its_full_timeout()
    {
        Prerequisites.Require(true, "ip", "nft");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        await using var scene = await DaemonScene.CreateAsync(ct);
        var agent = await scene.StartAsync(ct);
        // After the start's reconcile, which takes out an element the store knows nothing of.
        await agent.WaitForLineAsync("Firewall table tarpit ready", TimeSpan.FromSeconds(30), ct);

        var lingering = IPNetwork.Parse("203.0.113.7/32");
        var (code, output) = await scene.NftAsync(["add", "element", "inet", "tarpit", "offenders_v4", "{ 203.0.113.7 timeout 30s }"], ct);
        Assert.True(code == 0, output);
        var fresh = Enumerable.Range(1, 50).Select(i => IPNetwork.Parse($"203.0.113.{100 + i}/32")).ToList();
        foreach (var target in fresh.Prepend(lingering))
        {
            await scene.OffendAsync(target.BaseAddress.ToString(), ct);
        }

        await scene.WaitForElementsAsync([.. fresh, lingering], TimeSpan.FromSeconds(30), ct);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        TimeSpan? left = null;
        while (DateTime.UtcNow < deadline)
        {
            left = (await scene.OffendersAsync(ct)).Single(e => e.Target == lingering).Expires;
            if (left > TimeSpan.FromMinutes(50))
            {
                break;
            }

            await Task.Delay(100, ct);
        }

        Assert.True(left > TimeSpan.FromMinutes(50), $"the lingering element kept {left} left; agent output:\n{scene.Agent?.Output}");
    }
}
