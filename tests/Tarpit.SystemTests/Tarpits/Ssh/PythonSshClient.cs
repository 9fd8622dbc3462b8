using System.Globalization;
using System.Text;
using CliWrap;

namespace Tarpit.SystemTests.Tarpits.Ssh;

/// <summary>
/// Debian's python SSH libraries (python3-paramiko, python3-asyncssh) driven as a bot would drive them: connect and
/// try a password, with the library's own default timeouts and debug logging on stderr.
/// </summary>
internal static class PythonSshClient
{
    /// <summary>Debian's interpreter, where the python3-* packages are installed (not whatever python3 is first on PATH).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>Printed by both scripts when the library gives up (its exception) or connects; a held client prints neither.</summary>
    public const string GaveUp = "GAVE UP:";

    /// <summary>paramiko's DEBUG line once it parsed the server's KEXINIT.</summary>
    public const string ParamikoKexInitParsed = "=== Key exchange possibilities ===";

    /// <summary>asyncssh's debug2 line once it chose a key exchange from the server's KEXINIT.</summary>
    public const string AsyncSshKexInitParsed = "Key exchange alg:";

    /// <summary>Printed by both scripts once the library is imported, just before they connect.</summary>
    public const string Connecting = "CONNECTING";

    /// <summary>
    /// How long the interpreter may take to import the library (asyncssh pulls in cryptography): at load in CI this
    /// took over 4 s once, and a hold counted from the process start then saw no output at all.
    /// </summary>
    private static readonly TimeSpan ImportBound = TimeSpan.FromSeconds(30);

    /// <summary>Runs paramiko; <paramref name="runFor"/> counts from <see cref="Connecting"/>, not from the process start.</summary>
    public static Task<(bool KilledWhileRunning, string Output)> RunParamikoAsync(int port, TimeSpan runFor) =>
        RunAsync(ParamikoScript, port, runFor);

    /// <summary>Runs asyncssh; <paramref name="runFor"/> counts from <see cref="Connecting"/>, not from the process start.</summary>
    public static Task<(bool KilledWhileRunning, string Output)> RunAsyncSshAsync(int port, TimeSpan runFor) =>
        RunAsync(AsyncSshScript, port, runFor);

    /// <summary>
    /// Runs <paramref name="script"/> until it exits, or until <paramref name="runFor"/> after it said
    /// <see cref="Connecting"/> (then it is killed: "killed while running"). A script that never gets that far within
    /// <see cref="ImportBound"/> is killed too, and reported as not held.
    /// </summary>
    private static async Task<(bool KilledWhileRunning, string Output)> RunAsync(string script, int port, TimeSpan runFor)
    {
        var file = Path.Combine(Path.GetTempPath(), $"tarpit-ssh-client-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(file, script);
        var output = new StringBuilder();
        var connecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Line(string line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }

            if (line == Connecting)
            {
                connecting.TrySetResult();
            }
        }

        using var kill = new CancellationTokenSource();
        try
        {
            var run = Cli.Wrap(Python)
                .WithArguments(["-u", file, port.ToString(CultureInfo.InvariantCulture)])
                .WithStandardInputPipe(PipeSource.Null)
                .WithStandardOutputPipe(PipeTarget.ToDelegate(Line))
                .WithStandardErrorPipe(PipeTarget.ToDelegate(Line))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(kill.Token)
                .Task;
            var held = false;
            if (await Task.WhenAny(connecting.Task, run, Task.Delay(ImportBound)) == connecting.Task)
            {
                held = await Task.WhenAny(run, Task.Delay(runFor)) != run;
            }

            await kill.CancelAsync();
            try
            {
                await run;
            }
            catch (OperationCanceledException) when (kill.IsCancellationRequested)
            {
            }

            lock (output)
            {
                return (held, output.ToString());
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private const string ParamikoScript = """
        import logging, sys
        import paramiko
        logging.basicConfig(stream=sys.stderr, level=logging.DEBUG)
        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        print("CONNECTING", flush=True)
        try:
            client.connect("127.0.0.1", int(sys.argv[1]), username="root", password="toor", look_for_keys=False, allow_agent=False)
            print("CONNECTED", flush=True)
        except Exception as e:
            print("GAVE UP:", type(e).__name__, e, flush=True)
        """;

    private const string AsyncSshScript = """
        import asyncio, logging, sys
        import asyncssh
        logging.basicConfig(stream=sys.stderr, level=logging.DEBUG)
        asyncssh.set_debug_level(2)
        async def main():
            print("CONNECTING", flush=True)
            try:
                async with asyncssh.connect("127.0.0.1", int(sys.argv[1]), username="root", password="toor", known_hosts=None, client_keys=None):
                    print("CONNECTED", flush=True)
            except Exception as e:
                print("GAVE UP:", type(e).__name__, e, flush=True)
        asyncio.run(main())
        """;
}
