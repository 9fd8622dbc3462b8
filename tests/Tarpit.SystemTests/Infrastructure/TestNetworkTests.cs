namespace Tarpit.SystemTests.Infrastructure;

public sealed class TestNetworkTests
{
    [SystemFact(true, "ip", "ping")]
    public async Task Attacker_and_innocent_reach_the_server_and_namespaces_are_gone_after_dispose()
    {
        Prerequisites.Require(true, "ip", "ping");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string server;
        await using (var network = await TestNetwork.CreateAsync(cts.Token))
        {
            server = network.Server;
            var v4 = await TestNetwork.ExecAsync(network.Attacker, ["ping", "-c", "1", "-W", "2", TestNetwork.ServerV4ForAttacker], TimeSpan.FromSeconds(5), cts.Token);
            var v6 = await TestNetwork.ExecAsync(network.Innocent, ["ping", "-6", "-c", "1", "-W", "2", TestNetwork.ServerV6ForInnocent], TimeSpan.FromSeconds(5), cts.Token);
            Assert.True(v4.ExitCode == 0, v4.Output);
            Assert.True(v6.ExitCode == 0, v6.Output);
        }

        var namespaces = await CliWrap.Buffered.BufferedCommandExtensions.ExecuteBufferedAsync(CliWrap.Cli.Wrap("ip").WithArguments(["netns", "list"]), cts.Token);
        Assert.DoesNotContain(server, namespaces.StandardOutput, StringComparison.Ordinal);
    }
}
