using System.Net.Sockets;

namespace Tarpit.Firewall;

/// <summary>The names of the objects inside the agent's table.</summary>
internal static class NftNames
{
    public const string Family = "inet";

    public const string Chain = "prerouting";

    public const string OffendersV4 = "offenders_v4";

    public const string OffendersV6 = "offenders_v6";

    public const string AllowV4 = "allow_v4";

    public const string AllowV6 = "allow_v6";

    public static string OffenderSet(AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 ? OffendersV6 : OffendersV4;
}
