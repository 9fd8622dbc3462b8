using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using Tarpit.SystemTests.Infrastructure;

namespace Tarpit.SystemTests.Tarpits.Ssh;

/// <summary>
/// Go's x/crypto/ssh as a bot drives it: dial with a password and the library's defaults. Built once per test run
/// from Debian's golang-golang-x-crypto-dev, offline in GOPATH mode, into a private directory, from the benchmark's
/// source (bench/ssh-clients/goclient.go).
/// </summary>
internal static class GoSshClient
{
    public const string Go = "go";

    /// <summary>Debian's x/crypto source (golang-golang-x-crypto-dev).</summary>
    public const string XCryptoSsh = "/usr/share/gocode/src/golang.org/x/crypto/ssh/client.go";

    /// <summary>Printed when the library gives up (its error) or connects; a held client prints neither.</summary>
    public const string GaveUp = "GAVE UP:";

    private static readonly Lazy<Task<string>> Binary = new(BuildAsync);

    public static async Task<(bool KilledWhileRunning, string Output)> RunAsync(int port, TimeSpan runFor) =>
        await ExternalTool.RunAsync(await Binary.Value, [port.ToString(CultureInfo.InvariantCulture)], runFor);

    private static async Task<string> BuildAsync()
    {
        var directory = Directory.CreateTempSubdirectory("tarpit-go-ssh-client-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        // The benchmark's client (bench/ssh-clients), so that the test and the figures drive the same program.
        var source = Path.Combine(directory, "client.go");
        var binary = Path.Combine(directory, "client");
        File.Copy(Path.Combine(AotAgent.RepositoryRoot, "bench", "ssh-clients", "goclient.go"), source);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var build = await Cli.Wrap(Go)
            .WithArguments(["build", "-o", binary, source])
            .WithWorkingDirectory(directory)
            .WithEnvironmentVariables(e => e
                .Set("GO111MODULE", "off")
                .Set("GOPATH", "/usr/share/gocode")
                .Set("GOCACHE", Path.Combine(directory, "cache"))
                .Set("GOFLAGS", "")
                .Set("HOME", directory))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(deadline.Token);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException("go build of the x/crypto/ssh client failed:\n" + build.StandardError);
        }

        return binary;
    }
}
