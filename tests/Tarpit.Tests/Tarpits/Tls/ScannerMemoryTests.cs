using System.Net;
using Tarpit.Tarpits.Tls;

namespace Tarpit.Tests.Tarpits.Tls;

public sealed class ScannerMemoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static IPAddress Address(int i) => new([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]);

    [Fact]
    public void An_address_is_remembered_until_just_before_the_window_ends_and_forgotten_at_it()
    {
        var memory = new ScannerMemory();
        memory.Remember(Address(1), Start);

        Assert.True(memory.Remembers(Address(1), Start + ScannerMemory.RememberFor - TimeSpan.FromTicks(1)));
        Assert.False(memory.Remembers(Address(2), Start));
        Assert.False(memory.Remembers(null, Start));
        Assert.False(memory.Remembers(Address(1), Start + ScannerMemory.RememberFor));
        Assert.Equal(0, memory.Count);
    }

    [Fact]
    public void A_new_probe_re_arms_the_window()
    {
        var memory = new ScannerMemory();
        memory.Remember(Address(1), Start);
        memory.Remember(Address(1), Start + TimeSpan.FromMinutes(4));

        Assert.True(memory.Remembers(Address(1), Start + TimeSpan.FromMinutes(8)));
    }

    [Fact]
    public void At_the_bound_every_address_is_kept_and_one_more_forgets_the_oldest()
    {
        var memory = new ScannerMemory();
        for (var i = 0; i < ScannerMemory.MaxAddresses; i++)
        {
            memory.Remember(Address(i), Start + TimeSpan.FromMilliseconds(i));
        }

        var full = memory.Count;
        var now = Start + TimeSpan.FromSeconds(10);
        memory.Remember(Address(ScannerMemory.MaxAddresses), now);

        Assert.Equal(ScannerMemory.MaxAddresses, full);
        Assert.Equal(ScannerMemory.MaxAddresses, memory.Count);
        Assert.False(memory.Remembers(Address(0), now));
        Assert.True(memory.Remembers(Address(1), now));
        Assert.True(memory.Remembers(Address(ScannerMemory.MaxAddresses), now));
    }

    [Fact]
    public void When_full_the_expired_addresses_go_first()
    {
        var memory = new ScannerMemory(capacity: 3);
        memory.Remember(Address(1), Start);
        memory.Remember(Address(2), Start + TimeSpan.FromMinutes(1));
        memory.Remember(Address(3), Start + TimeSpan.FromMinutes(2));
        var now = Start + ScannerMemory.RememberFor + TimeSpan.FromSeconds(30);

        memory.Remember(Address(4), now);

        Assert.Equal(3, memory.Count);
        Assert.True(memory.Remembers(Address(2), now));
        Assert.True(memory.Remembers(Address(3), now));
        Assert.True(memory.Remembers(Address(4), now));
    }
}
