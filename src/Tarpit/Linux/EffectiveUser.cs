namespace Tarpit.Linux;

/// <summary>The user whose permissions this process acts with (geteuid(2)), which is what the kernel checks.</summary>
internal static class EffectiveUser
{
    public static uint Id => Libc.GetEffectiveUserId();

    public static bool IsRoot => Id == 0;
}
