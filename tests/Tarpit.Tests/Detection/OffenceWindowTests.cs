using System.Net;
using Tarpit.Detection.Judgement;

namespace Tarpit.Tests.Detection;

public sealed class OffenceWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Attacker = IPAddress.Parse("192.0.2.1");

    [Fact]
    public void Max_retry_offences_within_find_time_reach_the_threshold()
    {
        var window = new OffenceWindow(maxRetry: 3, findTime: TimeSpan.FromMinutes(10));

        var first = window.Record(Attacker, Start);
        var second = window.Record(Attacker, Start.AddMinutes(4));
        var third = window.Record(Attacker, Start.AddMinutes(9));

        Assert.Equal((1, 2, 3), (first, second, third));
        Assert.Equal(1, window.Count);
        window.Forget(Attacker);
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public void Forgiven_offences_never_count_again_while_later_ones_do()
    {
        var window = new OffenceWindow(maxRetry: 3, findTime: TimeSpan.FromMinutes(10));
        window.Record(Attacker, Start);
        window.Record(Attacker, Start.AddMinutes(1));
        window.Record(Attacker, Start.AddMinutes(2));

        var left = window.Forgive(Attacker, Start.AddMinutes(1), Start.AddMinutes(2));
        var next = window.Record(Attacker, Start.AddMinutes(3));
        var full = window.Record(Attacker, Start.AddMinutes(4));

        Assert.Equal((1, 2, 3), (left, next, full));
    }

    [Fact]
    public void Offences_older_than_find_time_slide_out_of_the_window()
    {
        var window = new OffenceWindow(maxRetry: 3, findTime: TimeSpan.FromMinutes(10));

        window.Record(Attacker, Start);
        window.Record(Attacker, Start.AddMinutes(5));
        var third = window.Record(Attacker, Start.AddMinutes(10));
        var fourth = window.Record(Attacker, Start.AddMinutes(11));

        Assert.Equal(2, third);
        Assert.Equal(3, fourth);
    }

    [Fact]
    public void Addresses_are_counted_separately()
    {
        var window = new OffenceWindow(maxRetry: 2, findTime: TimeSpan.FromMinutes(1));

        var first = window.Record(Attacker, Start);
        var other = window.Record(IPAddress.Parse("192.0.2.2"), Start);

        Assert.Equal((1, 1), (first, other));
        Assert.Equal(2, window.Count);
    }

    [Fact]
    public void At_capacity_the_least_recently_seen_address_is_evicted()
    {
        var window = new OffenceWindow(maxRetry: 2, findTime: TimeSpan.FromHours(1), capacity: 2);
        var a = IPAddress.Parse("192.0.2.10");
        var b = IPAddress.Parse("192.0.2.11");
        var c = IPAddress.Parse("192.0.2.12");

        window.Record(a, Start);
        window.Record(b, Start);
        window.Record(a, Start.AddSeconds(1)); // a reached 2 and was forgotten: b is the stalest now
        window.Record(a, Start.AddSeconds(2));
        window.Record(c, Start.AddSeconds(3)); // evicts b
        var bAgain = window.Record(b, Start.AddSeconds(4)); // b starts over (and evicts a)

        Assert.Equal(1, bAgain);
        Assert.Equal(2, window.Count);
    }

    [Fact]
    public void Tracked_address_costs_stay_within_the_documented_figure()
    {
        const int addresses = 20_000;
        var window = new OffenceWindow(maxRetry: 5, findTime: TimeSpan.FromHours(1), capacity: addresses);
        var keys = Enumerable.Range(0, addresses).Select(i => new IPAddress(BitConverter.GetBytes(i).Concat(new byte[12]).ToArray())).ToList();

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var key in keys)
        {
            window.Record(key, Start);
        }

        var perAddress = (GC.GetAllocatedBytesForCurrentThread() - before) / addresses;
        var keyBytes = 56; // the IPv6 IPAddress itself (object + 16-byte array), allocated by the caller here
        Assert.InRange(perAddress + keyBytes, 1, OffenceWindow.ApproximateBytesPerAddress);
    }
}
