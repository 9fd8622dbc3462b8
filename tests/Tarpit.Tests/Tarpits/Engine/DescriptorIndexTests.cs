using System.Net;
using Tarpit.Tarpits.Engine;

namespace Tarpit.Tests.Tarpits.Engine;

public sealed class DescriptorIndexTests : IDisposable
{
    private readonly TarpitRuntime _tarpit = TarpitConfigs.Runtime(TestMode.Drip(TimeSpan.FromSeconds(10)));

    public void Dispose() => _tarpit.Dispose();

    [Fact]
    public void A_connection_is_found_by_its_descriptor_until_removed_also_past_the_first_capacity()
    {
        var index = new DescriptorIndex();
        var low = Held(3);
        var high = Held(70_000);

        index.Add(low);
        index.Add(high);

        Assert.Same(low, index.Find(3));
        Assert.Same(high, index.Find(70_000));
        Assert.True(index.Remove(high));
        Assert.Null(index.Find(70_000));
        Assert.Null(index.Find(-1));
        Assert.Null(index.Find(int.MaxValue));
    }

    [Fact]
    public void Removing_a_connection_that_no_longer_owns_its_descriptor_leaves_the_owner()
    {
        var index = new DescriptorIndex();
        var closed = Held(5);
        var reused = Held(5); // the kernel handed the number out again
        index.Add(closed);
        index.Add(reused);

        Assert.False(index.Remove(closed));
        Assert.Same(reused, index.Find(5));
    }

    private HeldConnection Held(int descriptor) =>
        new(new AcceptedConnection(descriptor, _tarpit, new IPEndPoint(IPAddress.Loopback, 40000), 2222, 2222), descriptor, null, 0, DateTimeOffset.UnixEpoch);
}
