namespace Tarpit.Tarpits.Engine;

/// <summary>
/// What reading a real service's banner gave: the banner, valid by the config's rule, or why there is none. For ssh
/// also the ten KEXINIT name-lists, or why they could not be read (the banner is still used).
/// </summary>
internal readonly record struct BannerReading(string? Banner, string? Problem)
{
    public IReadOnlyList<string>? KexInitNameLists { get; init; }

    public string? KexInitProblem { get; init; }

    public static BannerReading Read(string banner) => new(banner, null);

    public static BannerReading Failed(string problem) => new(null, problem);
}
