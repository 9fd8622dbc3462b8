using System.Globalization;
using System.Text.RegularExpressions;
using Tarpit.Config;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Tarpits.Http;

/// <summary>
/// nmap's default HTTP scripts against every HTTP mode and a real nginx, in one nmap run: <c>http-title</c> and
/// <c>http-headers</c> read each response whole with a per-read timeout of a few seconds (nselib/http.lua, comm.lua:
/// connect timeout + 6 s), so a dripped response leaves them with nothing to print while nginx's gets a title.
/// </summary>
public sealed partial class NmapHttpSystemTests
{
    /// <summary>curl's exit code when its <c>-m</c> passed: the client was still being held.</summary>
    private const int CurlTimedOut = 28;

    private static readonly string[] Modes = ["endless-header", "drip", "gzip-bomb", "deflate-bomb", "fake-auth"];

    [SystemFact(false, "nmap", "curl", RealNginx.Binary)]
    public async Task Http_title_and_http_headers_complete_on_every_mode_as_on_nginx_while_curl_is_still_held()
    {
        Prerequisites.Require(false, "nmap", "curl", RealNginx.Binary);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var nginx = await RealNginx.StartAsync(tls: false, timeout.Token);
        var tarpits = new List<TarpitUnderTest>();
        var data = Directory.CreateTempSubdirectory("tarpit-nmap-http-");
        try
        {
            foreach (var mode in Modes)
            {
                // The reference page size (256 KiB; http.lua reads at most 2 MiB), dripped 4 bytes a second: ~18 hours.
                tarpits.Add(await TarpitUnderTest.StartAsync(
                    TarpitProtocol.Http, mode, interval: TimeSpan.FromSeconds(1), dripBytes: 4, bombSize: 1 << 20, contentLength: 256 << 10, cancellationToken: timeout.Token));
            }

            // The scripts' port rule wants a port nmap calls http: a private services file names these ports so
            // (on port 80 it would, without one), so no -sV is needed.
            var ports = tarpits.Select(t => t.Port).Prepend(nginx.Port).ToList();
            await File.WriteAllLinesAsync(Path.Combine(data.FullName, "nmap-services"), ports.Select(p => $"http\t{p}/tcp\t0.5"), timeout.Token);
            string[] arguments =
            [
                "-Pn", "-n", "-sT", "--datadir", data.FullName,
                "-p", string.Join(',', ports.Select(p => p.ToString(CultureInfo.InvariantCulture))),
                "--script", "http-title,http-headers", "--script-timeout", "30s", "127.0.0.1",
            ];

            var result = await TarpitUnderTest.RunAsync("nmap", arguments, timeout.Token);

            var sections = Sections(result.StandardOutput);
            var real = sections.GetValueOrDefault(nginx.Port, "");
            Assert.Contains("http-title: Welcome", real, StringComparison.Ordinal);
            Assert.Contains("Server: nginx/1.22.1", real, StringComparison.Ordinal);
            var failures = new List<string>();
            foreach (var (mode, tarpit) in Modes.Zip(tarpits))
            {
                var section = sections.GetValueOrDefault(tarpit.Port, "");
                var title = TitleLine().Match(section);
                // The site's page is titled "<site> - <a few words>", drawn at start; fake-auth's is nginx's 401 page.
                var expected = mode == "fake-auth" ? "^401 Authorization Required$" : @"^[A-Z][a-z]+ - [A-Z][a-z]*( [a-z]+)+$";
                if (!title.Success || !Regex.IsMatch(title.Groups[1].Value.Trim(), expected) || !section.Contains("http-headers:", StringComparison.Ordinal)
                    || !section.Contains("Server: nginx/1.22.1", StringComparison.Ordinal))
                {
                    failures.Add($"{mode} (expected a title matching {expected}):\n{section}");
                }
            }

            Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n--- nmap:\n" + result.StandardOutput + result.StandardError);

            // Anyone else is still held: curl gets the page dripped, and gives up at its own bound.
            var curl = await TarpitUnderTest.RunAsync("curl", ["-sS", "-m", "3", "-o", "/dev/null", $"http://127.0.0.1:{tarpits[1].Port}/"], timeout.Token);
            Assert.Equal(CurlTimedOut, curl.ExitCode);
        }
        finally
        {
            foreach (var tarpit in tarpits)
            {
                await tarpit.DisposeAsync();
            }

            data.Delete(recursive: true);
        }
    }

    /// <summary>nmap's normal output cut per port: each section from its "PORT/tcp" line to the next.</summary>
    private static Dictionary<int, string> Sections(string output)
    {
        var sections = new Dictionary<int, string>();
        foreach (Match match in PortSection().Matches(output))
        {
            sections[int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)] = match.Value;
        }

        return sections;
    }

    [GeneratedRegex(@"^(\d+)/tcp[^\n]*\n(?:\|[^\n]*\n)*", RegexOptions.Multiline)]
    private static partial Regex PortSection();

    [GeneratedRegex(@"http-title: ([^\n]*)")]
    private static partial Regex TitleLine();
}
