using System.Text;

namespace Tarpit.Config;

/// <summary>Reads <c>[metrics]</c>.</summary>
internal static class MetricsSection
{
    public static readonly IReadOnlyList<string> Keys = ["listen"];

    /// <summary>The address in the reference config and in messages: loopback, the port registered for nothing else we know of.</summary>
    public const string Example = "127.0.0.1:9477";

    /// <summary>unix(7): sun_path holds 108 bytes, the terminating NUL included.</summary>
    public const int MaxSocketPathBytes = 108 - 1;

    public static MetricsConfig Read(TomlTableView? table)
    {
        if (table is null)
        {
            return MetricsConfig.Off;
        }

        var listen = table.GetString("listen", out var node);
        table.ReportUnknownKeys(Keys);
        if (node is null)
        {
            table.ReportMissing("listen", $"\"{Example}\"");
            return MetricsConfig.Off;
        }

        if (listen is null)
        {
            // Not a string: reported by GetString.
            return MetricsConfig.Off;
        }

        if (listen.Length == 0)
        {
            table.Diagnostics.Add(node, $"'listen' is empty; expected {ListenSyntax.Allowed} or an absolute Unix socket path, e.g. \"{Example}\" or \"/run/tarpit/metrics.sock\"; remove [metrics] to turn metrics off");
            return MetricsConfig.Off;
        }

        if (listen.StartsWith('/'))
        {
            if (Encoding.UTF8.GetByteCount(listen) > MaxSocketPathBytes || listen.EndsWith('/') || listen.Contains('\0', StringComparison.Ordinal))
            {
                table.Diagnostics.Add(node, $"Unix socket path {TomlText.Quote(listen)} is not usable: it must name a file (not end in '/') in at most {MaxSocketPathBytes} bytes (unix(7))");
                return MetricsConfig.Off;
            }

            return new MetricsConfig(null, listen);
        }

        if (!ListenSyntax.TryParse(listen, out var endpoint, out var problem))
        {
            table.Diagnostics.Add(node, problem + "; or an absolute Unix socket path, e.g. \"/run/tarpit/metrics.sock\"");
            return MetricsConfig.Off;
        }

        return new MetricsConfig(endpoint, null);
    }
}
