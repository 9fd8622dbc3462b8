using Tarpit.Geo;

namespace Tarpit.Tests.Geo;

public sealed class GeoNameTests
{
    [Fact]
    public void A_name_of_exactly_the_maximum_length_is_kept_whole()
    {
        var name = new string('a', GeoLookup.MaxNameLength);

        Assert.Equal(name, GeoLookup.Clean(name));
    }

    [Fact]
    public void A_name_one_over_the_maximum_length_is_cut_with_the_marker()
    {
        var cleaned = GeoLookup.Clean(new string('a', GeoLookup.MaxNameLength + 1));

        Assert.Equal(new string('a', GeoLookup.MaxNameLength) + "…", cleaned);
    }

    [Fact]
    public void Control_and_non_ascii_characters_in_a_name_are_escaped()
    {
        var cleaned = GeoLookup.Clean("Evil\u001b[2J Telefónica");

        Assert.Equal(@"Evil\x1b[2J Telef\xc3\xb3nica", cleaned);
    }
}
