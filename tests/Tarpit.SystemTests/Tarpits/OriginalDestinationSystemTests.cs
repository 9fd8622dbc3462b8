using System.Net;
using System.Net.Sockets;
using CliWrap;
using CliWrap.Buffered;
using Tarpit.Linux;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Tarpits;

public sealed class OriginalDestinationSystemTests
{
    private const int TarpitPort = 2222;

    private const string Ruleset = """
        table inet tarpit_test {
            chain prerouting {
                type nat hook prerouting priority dstnat; policy accept;
                tcp dport 22 redirect to :2222
            }
        }
        """;

    [SystemFact(true, "ip", "nft")]
    public async Task A_redirected_client_reports_the_port_it_meant_and_a_direct_one_the_tarpit_port()
    {
        Prerequisites.Require(true, "ip", "nft");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var network = await TestNetwork.CreateAsync(cts.Token);
        var nft = await Cli.Wrap("ip").WithArguments(["netns", "exec", network.Server, "nft", "-f", "-"])
            .WithStandardInputPipe(PipeSource.FromString(Ruleset))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cts.Token);
        Assert.True(nft.ExitCode == 0, nft.StandardError);
        using var listener = NetnsThread.Run(network.Server, () =>
        {
            var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
            socket.Bind(new IPEndPoint(IPAddress.IPv6Any, TarpitPort));
            socket.Listen(8);
            return socket;
        });

        var viaV4 = Probe(network, listener, new IPEndPoint(IPAddress.Parse(TestNetwork.ServerV4ForAttacker), 22));
        var viaV6 = Probe(network, listener, new IPEndPoint(IPAddress.Parse(TestNetwork.ServerV6ForAttacker), 22));
        var direct = Probe(network, listener, new IPEndPoint(IPAddress.Parse(TestNetwork.ServerV4ForAttacker), TarpitPort));

        Assert.Equal((22, true), viaV4);
        Assert.Equal((22, false), viaV6);
        Assert.Equal((TarpitPort, true), direct);
    }

    /// <summary>Connects from the attacker namespace; returns the original port the server end reports and whether the client looked v4-mapped.</summary>
    private static (int OriginalPort, bool MappedV4) Probe(TestNetwork network, Socket listener, IPEndPoint target)
    {
        using var client = NetnsThread.Run(network.Attacker, () =>
        {
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(target);
            return socket;
        });
        using var server = listener.Accept();
        var remote = ((IPEndPoint)server.RemoteEndPoint!).Address;
        return (OriginalDestination.PortOf((int)server.Handle, remote, ((IPEndPoint)server.LocalEndPoint!).Port), remote.IsIPv4MappedToIPv6);
    }
}
