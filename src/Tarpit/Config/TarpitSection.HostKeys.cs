namespace Tarpit.Config;

/// <summary>ssh: <c>host_keys</c> and <c>host_key_dir</c>.</summary>
internal static partial class TarpitSection
{
    private static readonly string[] SshKeys = ["host_keys", "host_key_dir"];

    private static SshHostKeysConfig? ReadHostKeys(TomlTableView table, TarpitProtocol? protocol)
    {
        if (protocol is not TarpitProtocol.Ssh)
        {
            RejectKeysOf(table, SshKeys, TarpitProtocol.Ssh, protocol);
            return null;
        }

        var source = SshHostKeysConfig.Default.Source;
        var sourceText = table.GetString("host_keys", out var sourceNode);
        if (sourceText is not null && sourceNode is not null)
        {
            if (SshHostKeysConfig.Sources.Contains(sourceText))
            {
                source = sourceText;
            }
            else
            {
                table.Diagnostics.Add(sourceNode, $"unknown host_keys {TomlText.Quote(sourceText)}; allowed: {string.Join(", ", SshHostKeysConfig.Sources)}");
            }
        }

        var directory = SshHostKeysConfig.DefaultDirectory;
        var directoryText = table.GetString("host_key_dir", out var directoryNode);
        if (directoryText is not null && directoryNode is not null)
        {
            if (source == SshHostKeysConfig.Generated)
            {
                table.Diagnostics.Add(directoryNode, $"'host_key_dir' is only read with host_keys = \"{SshHostKeysConfig.Auto}\", and this tarpit sets host_keys = \"{SshHostKeysConfig.Generated}\"; remove one of them");
            }
            else if (directoryText.Length == 0 || !Path.IsPathFullyQualified(directoryText))
            {
                table.Diagnostics.Add(directoryNode, $"'host_key_dir' must be an absolute path: found {TomlText.Quote(directoryText)}, expected e.g. \"{SshHostKeysConfig.DefaultDirectory}\"");
            }
            else
            {
                directory = Path.TrimEndingDirectorySeparator(directoryText);
            }
        }

        if (sourceNode is not null && source == SshHostKeysConfig.Auto)
        {
            table.Diagnostics.AddNote(
                sourceNode,
                $"host_keys = \"{SshHostKeysConfig.Auto}\": read at start (run only) from {Path.Join(directory, SshHostKeysConfig.EcdsaFile)} and {SshHostKeysConfig.Ed25519File} "
                + $"(public keys only); each one missing or not valid is replaced by the agent's own, made once and kept in state_dir ({SshHostKeysConfig.GeneratedFile})");
        }

        return new SshHostKeysConfig(source, directory);
    }
}
