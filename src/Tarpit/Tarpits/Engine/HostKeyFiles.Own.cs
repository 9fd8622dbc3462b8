using Serilog;
using Tarpit.Config;
using Tarpit.Store;
using Tarpit.Tarpits.Ssh;

namespace Tarpit.Tarpits.Engine;

/// <summary>
/// The agent's own public host keys: one OpenSSH public key line per algorithm in the state dir
/// (<see cref="SshHostKeysConfig.GeneratedFile"/>), made on the first start that needs one and read back on every
/// later one. Written 0600 (<see cref="PrivateFiles.FileMode"/>) to a new file that is then renamed into place, so a
/// crash leaves the old file or none, never half a line; when another agent made it first, its keys are taken. Root
/// in a state dir another user owns works as that user (<see cref="StateDirOwner"/>), as the store does.
/// </summary>
internal static partial class HostKeyFiles
{
    /// <summary>The comment of each line: where the key came from (a real one names root@host).</summary>
    public const string OwnComment = "tarpit-agent-host-key-public-only";

    /// <summary>The agent's own keys in <paramref name="stateDir"/>: read, or made and kept; keys for this run only when they cannot be kept.</summary>
    public static SshHostKeys OwnKeys(string stateDir, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(stateDir);
        ArgumentNullException.ThrowIfNull(log);
        var path = Path.Join(stateDir, SshHostKeysConfig.GeneratedFile);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("tarpit-agent runs on Linux.");
        }

        try
        {
            PrivateFiles.CreateDirectory(stateDir);
            using var owner = StateDirOwner.ActAs(stateDir);
            return owner is null ? ReadOrMake(path, log) : owner.Run(() => ReadOrMake(path, log));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            EngineLog.HostKeyStoreFailed(log, path, ex.Message);
            return SshHostKeys.MakeEphemeral();
        }
    }

    private static SshHostKeys ReadOrMake(string path, ILogger log)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("tarpit-agent runs on Linux.");
        }

        var keys = new Dictionary<string, SshPublicKey>(StringComparer.Ordinal);
        var existed = File.Exists(path);
        if (existed)
        {
            var problem = ReadOwn(path, keys);
            if (problem is not null)
            {
                EngineLog.HostKeyStoreUnusable(log, path, problem);
            }
        }

        var missing = SshHostKeys.Algorithms.Where(a => !keys.ContainsKey(a)).ToList();
        if (missing.Count == 0)
        {
            return new SshHostKeys(keys[SshHostKeys.EcdsaP256], keys[SshHostKeys.Ed25519]);
        }

        foreach (var algorithm in missing)
        {
            keys[algorithm] = SshHostKeys.Make(algorithm);
        }

        try
        {
            Write(path, [.. SshHostKeys.Algorithms.Select(a => keys[a])], replace: existed);
        }
        catch (IOException) when (!existed && File.Exists(path))
        {
            // Another agent with this state dir made its keys between our look and our rename: show those.
            var theirs = new Dictionary<string, SshPublicKey>(StringComparer.Ordinal);
            if (ReadOwn(path, theirs) is not null)
            {
                throw;
            }

            return new SshHostKeys(theirs[SshHostKeys.EcdsaP256], theirs[SshHostKeys.Ed25519]);
        }

        EngineLog.HostKeysMade(log, string.Join(", ", missing), path);
        return new SshHostKeys(keys[SshHostKeys.EcdsaP256], keys[SshHostKeys.Ed25519]);
    }

    /// <summary>Adds the first valid key of each algorithm in the file to <paramref name="keys"/>; the first problem, or null when both were there.</summary>
    private static string? ReadOwn(string path, Dictionary<string, SshPublicKey> keys)
    {
        if (ReadBounded(path, out var problem) is not { } text)
        {
            return problem;
        }

        string? first = null;
        foreach (var line in KeyLines(text))
        {
            if (SshPublicKeyLine.Parse(line, out var lineProblem) is { } key)
            {
                keys.TryAdd(key.Algorithm, key);
            }
            else
            {
                first ??= lineProblem;
            }
        }

        return first ?? (keys.Count == SshHostKeys.Algorithms.Count ? null : "a key type is missing");
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Write(string path, IReadOnlyList<SshPublicKey> keys, bool replace)
    {
        var text = string.Concat(keys.Select(k => SshPublicKeyLine.Format(k, OwnComment) + "\n"));
        var temporary = $"{path}.{Path.GetRandomFileName()}.new";
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = PrivateFiles.FileMode,
            }))
            {
                stream.Write(System.Text.Encoding.ASCII.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: replace);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
