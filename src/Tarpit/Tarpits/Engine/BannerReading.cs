namespace Tarpit.Tarpits.Engine;

/// <summary>What reading a real service's banner gave: the banner, valid by the config's rule, or why there is none.</summary>
internal readonly record struct BannerReading(string? Banner, string? Problem)
{
    public static BannerReading Read(string banner) => new(banner, null);

    public static BannerReading Failed(string problem) => new(null, problem);
}
