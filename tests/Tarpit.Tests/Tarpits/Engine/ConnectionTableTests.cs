using System.Net;
using Tarpit.Tarpits.Engine;

namespace Tarpit.Tests.Tarpits.Engine;

public sealed class ConnectionTableTests : IDisposable
{
    private readonly TarpitRuntime _tarpit = TarpitConfigs.Runtime(TestMode.Drip(TimeSpan.FromSeconds(10)));

    public void Dispose() => _tarpit.Dispose();

    [Fact]
    public void Slots_past_the_first_chunks_keep_their_connection_and_a_ref_taken_before_the_table_grew_still_sees_it()
    {
        var table = new ConnectionTable();
        var first = table.Add(Held(descriptor: 10, id: 1));
        ref var kept = ref table[first];

        var count = (ConnectionTable.ChunkSize * 5) + 3;
        for (var i = 1; i < count; i++)
        {
            Assert.Equal(i, table.Add(Held(descriptor: 10 + i, id: 1 + i)));
        }

        kept.BytesSent = 42;
        Assert.Equal(42, table[first].BytesSent);
        Assert.Equal(count, table.Count);
        Assert.Equal(count, table.HighWater);
        for (var slot = 0; slot < count; slot++)
        {
            Assert.True(table.InUse(slot));
            Assert.Equal(1 + slot, table[slot].Id);
            Assert.Equal(10 + slot, table[slot].Descriptor);
        }

        Assert.False(table.InUse(count));
        Assert.False(table.InUse(-1));
    }

    [Fact]
    public void A_freed_slot_is_emptied_and_taken_again_before_the_table_grows()
    {
        var table = new ConnectionTable();
        _ = table.Add(Held(descriptor: 3, id: 1));
        var freed = table.Add(Held(descriptor: 4, id: 2));
        _ = table.Add(Held(descriptor: 5, id: 3));
        table[freed].Session = new DripSession(TimeSpan.FromSeconds(1));

        table.Free(freed);

        Assert.False(table.InUse(freed));
        Assert.Null(table[freed].Session);
        Assert.Equal(2, table.Count);
        Assert.Equal(freed, table.Add(Held(descriptor: 6, id: 4)));
        Assert.Equal(4, table[freed].Id);
        Assert.Equal(3, table.HighWater);
    }

    private HeldConnection Held(int descriptor, long id) =>
        new(new AcceptedConnection(descriptor, _tarpit, new IPEndPoint(IPAddress.Loopback, 40000), 2222, 2222), id, acceptedTicks: 0);
}
