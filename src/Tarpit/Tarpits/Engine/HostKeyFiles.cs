using System.Text;
using Serilog;
using Tarpit.Config;
using Tarpit.Tarpits.Ssh;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// Resolves each SSH tarpit's <c>host_keys</c> once at start, before the modes are built, into the public key blobs it
/// shows (<see cref="TarpitConfig.SshHostKeyBlobs"/>): with <c>"auto"</c> the real sshd's <c>.pub</c> files in
/// <c>host_key_dir</c>, so that a banned client who knows the real key sees no change after the redirect; every file
/// missing or not valid is replaced by the agent's own key of that type, with one Warning naming it. The agent's own
/// keys (<c>"generated"</c>, or the fallback) are made once and kept in the state dir (<see cref="OwnKeys"/>), so a
/// restart shows the same fingerprints. Only public key files are ever opened, each read to at most
/// <see cref="SshPublicKeyLine.MaxFileBytes"/>; nothing here loads OpenSSL.
/// </summary>
internal static partial class HostKeyFiles
{
    /// <summary>The tarpits with each SSH tarpit's host keys resolved; the others as they were.</summary>
    public static IReadOnlyList<TarpitConfig> Resolve(IReadOnlyList<TarpitConfig> tarpits, string stateDir, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(tarpits);
        ArgumentNullException.ThrowIfNull(stateDir);
        ArgumentNullException.ThrowIfNull(log);
        return [.. tarpits.Select(t => t.SshHostKeys is { } options ? t with { SshHostKeyBlobs = ResolveOne(t.Name, options, stateDir, log) } : t)];
    }

    /// <summary>The real sshd's public key file for <paramref name="algorithm"/> in <paramref name="directory"/>.</summary>
    public static string RealFile(string directory, string algorithm) =>
        Path.Join(directory, algorithm == SshHostKeys.EcdsaP256 ? SshHostKeysConfig.EcdsaFile : SshHostKeysConfig.Ed25519File);

    /// <summary>The one key of <paramref name="algorithm"/> in a public key file, or null and why not.</summary>
    public static SshPublicKey? ReadRealFile(string path, string algorithm, out string problem)
    {
        if (ReadBounded(path, out problem) is not { } text)
        {
            return null;
        }

        var line = KeyLines(text).FirstOrDefault();
        if (line is null)
        {
            problem = "it holds no public key line";
            return null;
        }

        var key = SshPublicKeyLine.Parse(line, out problem);
        if (key is not null && key.Algorithm != algorithm)
        {
            problem = $"it holds a {key.Algorithm} key, not {algorithm}";
            return null;
        }

        return key;
    }

    private static Dictionary<string, byte[]> ResolveOne(string tarpit, SshHostKeysConfig options, string stateDir, ILogger log)
    {
        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (options.Source == SshHostKeysConfig.Auto)
        {
            foreach (var algorithm in SshHostKeys.Algorithms)
            {
                var path = RealFile(options.Directory, algorithm);
                if (ReadRealFile(path, algorithm, out var problem) is { } key)
                {
                    blobs[algorithm] = key.Blob;
                }
                else
                {
                    EngineLog.HostKeyFileUnusable(log, tarpit, path, problem);
                }
            }

            if (blobs.Count == SshHostKeys.Algorithms.Count)
            {
                EngineLog.HostKeysRead(log, tarpit, options.Directory);
                return blobs;
            }
        }

        var missing = SshHostKeys.Algorithms.Where(a => !blobs.ContainsKey(a)).ToList();
        var own = OwnKeys(stateDir, log);
        foreach (var algorithm in missing)
        {
            blobs[algorithm] = own.Key(algorithm).Blob;
        }

        EngineLog.HostKeysOwn(log, tarpit, string.Join(", ", missing), Path.Join(stateDir, SshHostKeysConfig.GeneratedFile));
        return blobs;
    }

    /// <summary>The lines of a public key file that hold a key: not empty, not a <c>#</c> comment (sshd(8)).</summary>
    private static IEnumerable<string> KeyLines(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));

    /// <summary>The text of <paramref name="path"/> when it is at most <see cref="SshPublicKeyLine.MaxFileBytes"/>; else null and why.</summary>
    private static string? ReadBounded(string path, out string problem)
    {
        problem = string.Empty;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            var buffer = new byte[SshPublicKeyLine.MaxFileBytes + 1];
            var filled = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (filled > SshPublicKeyLine.MaxFileBytes)
            {
                problem = $"it is longer than {SshPublicKeyLine.MaxFileBytes} bytes (OpenSSH's bound on a public key file)";
                return null;
            }

            return Encoding.UTF8.GetString(buffer, 0, filled);
        }
        catch (FileNotFoundException)
        {
            problem = "no such file";
        }
        catch (DirectoryNotFoundException)
        {
            problem = "no such directory";
        }
        catch (UnauthorizedAccessException)
        {
            problem = "permission denied";
        }
        catch (IOException ex)
        {
            problem = ex.Message;
        }

        return null;
    }
}
