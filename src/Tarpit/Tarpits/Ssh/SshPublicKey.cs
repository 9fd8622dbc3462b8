namespace Tarpit.Tarpits.Ssh;

/// <summary>One public host key: its algorithm name and its blob K_S (RFC 4253 §6.6), as a KEXDH_REPLY carries it.</summary>
internal sealed record SshPublicKey(string Algorithm, byte[] Blob);
