using Tarpit.Tarpits.Engine;

namespace Tarpit.Tests.Tarpits.Engine;

public sealed class DescriptorIndexTests
{
    [Fact]
    public void A_connection_is_found_by_its_descriptor_until_removed_also_past_the_first_capacity()
    {
        var index = new DescriptorIndex();

        index.Add(descriptor: 3, slot: 0);
        index.Add(descriptor: 70_000, slot: 7);

        Assert.Equal(0, index.Find(3));
        Assert.Equal(7, index.Find(70_000));
        Assert.True(index.Remove(70_000, 7));
        Assert.Equal(-1, index.Find(70_000));
        Assert.Equal(-1, index.Find(4));
        Assert.Equal(-1, index.Find(-1));
        Assert.Equal(-1, index.Find(int.MaxValue));
    }

    [Fact]
    public void Removing_a_connection_that_no_longer_owns_its_descriptor_leaves_the_owner()
    {
        var index = new DescriptorIndex();
        index.Add(descriptor: 5, slot: 1); // closed
        index.Add(descriptor: 5, slot: 2); // the kernel handed the number out again

        Assert.False(index.Remove(5, 1));
        Assert.Equal(2, index.Find(5));
    }
}
