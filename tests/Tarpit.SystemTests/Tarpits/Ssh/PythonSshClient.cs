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

    public static Task<(bool KilledWhileRunning, string Output)> RunParamikoAsync(int port, TimeSpan runFor) =>
        RunAsync(ParamikoScript, port, runFor);

    public static Task<(bool KilledWhileRunning, string Output)> RunAsyncSshAsync(int port, TimeSpan runFor) =>
        RunAsync(AsyncSshScript, port, runFor);

    private static async Task<(bool KilledWhileRunning, string Output)> RunAsync(string script, int port, TimeSpan runFor)
    {
        var file = Path.Combine(Path.GetTempPath(), $"tarpit-ssh-client-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(file, script);
        try
        {
            return await ExternalTool.RunAsync(Python, ["-u", file, port.ToString(System.Globalization.CultureInfo.InvariantCulture)], runFor);
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
            try:
                async with asyncssh.connect("127.0.0.1", int(sys.argv[1]), username="root", password="toor", known_hosts=None, client_keys=None):
                    print("CONNECTED", flush=True)
            except Exception as e:
                print("GAVE UP:", type(e).__name__, e, flush=True)
        asyncio.run(main())
        """;
}
