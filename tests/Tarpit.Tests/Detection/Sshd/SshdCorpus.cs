using System.Net;
using System.Text;
using Tarpit.Config;
using Tarpit.Detection;
using Tarpit.Detection.Filters;

namespace Tarpit.Tests.Detection.Sshd;

/// <summary>
/// What a real sshd wrote while an attacker and an admin used it (tests/Tarpit.SystemTests' <c>SshdCorpusTests</c>
/// records it; the fast suite keeps the recordings as fixtures), and how it is judged: the attacker's addresses are
/// charged, the admin's never, in every mode. Compiled into both test projects.
/// </summary>
internal static class SshdCorpus
{
    /// <summary>The attacker's and the admin's addresses in the system tests' namespaces (TestNetwork).</summary>
    public static readonly IPAddress[] Attacker = [IPAddress.Parse("192.0.2.2"), IPAddress.Parse("2001:db8:1::2")];

    public static readonly IPAddress[] Admin = [IPAddress.Parse("198.51.100.2"), IPAddress.Parse("2001:db8:2::2")];

    /// <summary>The recordings: scenario name → the classes each mode must find in it.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>> Expected { get; } = new Dictionary<string, IReadOnlyDictionary<string, string[]>>
    {
        ["info-password-publickey"] = new Dictionary<string, string[]>
        {
            [FilterNames.NormalMode] = [SshdFilter.Rules.Failed, SshdFilter.Rules.InvalidUser, SshdFilter.Rules.MaxAttempts, SshdFilter.Rules.TooManyUser],
        },
        ["verbose-allow-deny-users"] = new Dictionary<string, string[]>
        {
            [FilterNames.NormalMode] = [SshdFilter.Rules.NotAllowed, SshdFilter.Rules.InvalidUser, SshdFilter.Rules.Failed],
            [FilterNames.DdosMode] = [SshdFilter.Rules.PreauthClose],
        },
        ["pam-keyboard-interactive"] = new Dictionary<string, string[]>
        {
            [FilterNames.NormalMode] = [SshdFilter.Rules.Failed, SshdFilter.Rules.AuthFailure, SshdFilter.Rules.InvalidUser],
            [FilterNames.DdosMode] = [SshdFilter.Rules.PreauthClose],
        },
        ["probes"] = new Dictionary<string, string[]>
        {
            [FilterNames.NormalMode] = [SshdFilter.Rules.InvalidUser],
            [FilterNames.DdosMode] = [SshdFilter.Rules.KexIdentification, SshdFilter.Rules.BannerExchange, SshdFilter.Rules.PreauthClose],
            [FilterNames.ExtraMode] = [SshdFilter.Rules.Negotiate, SshdFilter.Rules.InvalidUser],
            [FilterNames.AggressiveMode] = [SshdFilter.Rules.KexIdentification, SshdFilter.Rules.BannerExchange, SshdFilter.Rules.Negotiate, SshdFilter.Rules.PreauthClose],
        },
    };

    public static FilterRunReport Judge(IEnumerable<string> lines, string mode) =>
        FilterRun.Run(new SshdFilter(mode), new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n")), 5, TimeSpan.FromMinutes(10), false, TimeProvider.System);

    /// <summary>Asserts what <paramref name="scenario"/> must give in every mode: only attacker addresses, each expected class.</summary>
    public static void AssertJudged(string scenario, IReadOnlyList<string> lines)
    {
        foreach (var mode in FilterNames.Modes)
        {
            var report = Judge(lines, mode);
            foreach (var address in report.Offences.Keys)
            {
                Assert.True(Attacker.Contains(address), $"{scenario} ({mode}) charged {address}:\n{string.Join('\n', lines)}");
            }

            var classes = Expected[scenario].TryGetValue(mode, out var own) ? own
                : mode == FilterNames.AggressiveMode ? [.. Expected[scenario].Values.SelectMany(c => c)]
                : Expected[scenario].GetValueOrDefault(FilterNames.NormalMode) ?? [];
            foreach (var rule in classes)
            {
                Assert.True(report.ByRule.ContainsKey(rule), $"{scenario} ({mode}): no line of class '{rule}' matched:\n{string.Join('\n', lines)}");
            }

            if (classes.Length > 0)
            {
                Assert.NotEmpty(report.Offences);
            }
        }
    }
}
