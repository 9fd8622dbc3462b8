using Tarpit.Config;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// The SSH fallback of <see cref="AutoBanner"/> when the real sshd cannot be read: the identification string Debian's
/// installed openssh-server package would send (<c>SSH-2.0-OpenSSH_</c> upstream version <c>Debian-</c> revision),
/// read from dpkg's status file, so even the fallback names the host's own revision.
/// </summary>
internal static partial class AutoBanner
{
    /// <summary>dpkg's database of installed packages (Debian, Ubuntu).</summary>
    public const string DpkgStatusPath = "/var/lib/dpkg/status";

    /// <summary>Our bound on lines read from it: a Debian system with 3000 packages has ~100k lines.</summary>
    public const int MaxDpkgStatusLines = 1_000_000;

    /// <summary>
    /// The banner of the installed openssh-server per <paramref name="statusPath"/> (e.g. version
    /// <c>1:9.2p1-2+deb12u10</c> gives <c>SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10</c>), or null when it is not
    /// installed, the file is unreadable or the banner would not be valid.
    /// </summary>
    public static string? InstalledSshdBanner(string statusPath = DpkgStatusPath)
    {
        try
        {
            string? package = null, status = null, version = null;
            var lines = 0;
            foreach (var line in File.ReadLines(statusPath))
            {
                if (++lines > MaxDpkgStatusLines)
                {
                    return null;
                }

                if (line.Length == 0)
                {
                    if (package == "openssh-server")
                    {
                        return BannerOf(status, version);
                    }

                    (package, status, version) = (null, null, null);
                }
                else if (line.StartsWith("Package: ", StringComparison.Ordinal))
                {
                    package = line["Package: ".Length..];
                }
                else if (line.StartsWith("Status: ", StringComparison.Ordinal))
                {
                    status = line["Status: ".Length..];
                }
                else if (line.StartsWith("Version: ", StringComparison.Ordinal))
                {
                    version = line["Version: ".Length..];
                }
            }

            return package == "openssh-server" ? BannerOf(status, version) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? BannerOf(string? status, string? version)
    {
        if (status != "install ok installed" || version is null)
        {
            return null;
        }

        // [epoch:]upstream-revision (deb-version(7)): the revision is after the last '-'.
        var colon = version.IndexOf(':', StringComparison.Ordinal);
        var withoutEpoch = colon >= 0 ? version[(colon + 1)..] : version;
        var dash = withoutEpoch.LastIndexOf('-');
        if (dash <= 0)
        {
            return null;
        }

        var banner = $"SSH-2.0-OpenSSH_{withoutEpoch[..dash]} Debian-{withoutEpoch[(dash + 1)..]}";
        return TarpitSection.SshBannerProblem(banner) is null ? banner : null;
    }
}
