using Serilog;

namespace Tarpit.Agent.Commands;

/// <summary>The log lines of the CLI verbs, each template written once (Kestrel's <c>SocketsLog</c>).</summary>
internal static class CommandsLog
{
    public static void Starting(ILogger log, string version, string configPath) =>
        log.Information("tarpit-agent {Version} starting with {ConfigPath}", version, configPath);
}
