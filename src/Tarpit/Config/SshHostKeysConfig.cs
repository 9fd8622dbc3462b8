namespace Tarpit.Config;

/// <summary>
/// ssh: which public host keys a tarpit shows a client that asks for one (<c>host_keys</c>, <c>host_key_dir</c>).
/// </summary>
/// <param name="Source"><see cref="Auto"/>: the real sshd's <c>.pub</c> files in <paramref name="Directory"/>, each missing or bad one replaced by the agent's own; <see cref="Generated"/>: the agent's own only.</param>
/// <param name="Directory">Where the real sshd's public host keys are (<c>ssh_host_ecdsa_key.pub</c>, <c>ssh_host_ed25519_key.pub</c>); an absolute path.</param>
internal sealed record SshHostKeysConfig(string Source, string Directory)
{
    public const string Auto = "auto";

    public const string Generated = "generated";

    /// <summary>Where Debian's openssh-server (and every sshd built with the default sysconfdir) keeps its host keys.</summary>
    public const string DefaultDirectory = "/etc/ssh";

    /// <summary>The real sshd's public ECDSA P-256 host key in <see cref="Directory"/> (<c>ssh-keygen -A</c>'s name).</summary>
    public const string EcdsaFile = "ssh_host_ecdsa_key.pub";

    /// <summary>The real sshd's public Ed25519 host key in <see cref="Directory"/>.</summary>
    public const string Ed25519File = "ssh_host_ed25519_key.pub";

    /// <summary>The agent's own public host keys, in the state dir: one OpenSSH public key line per algorithm.</summary>
    public const string GeneratedFile = "ssh-host-keys.pub";

    public static readonly IReadOnlyList<string> Sources = [Auto, Generated];

    public static readonly SshHostKeysConfig Default = new(Auto, DefaultDirectory);
}
