using System.Net;
using Tomlyn.Syntax;

namespace Tarpit.Config;

/// <summary>Checks across all <c>[[tarpit]]</c> tables: unique names, non-overlapping listeners, each redirect port once.</summary>
internal static class TarpitConflicts
{
    public static void Report(IReadOnlyList<TarpitEntry> tarpits, ConfigDiagnosticBag diagnostics)
    {
        var names = new List<(string Name, TextPosition Position)>();
        var listeners = new List<(string Tarpit, IPEndPoint EndPoint, TextPosition Position)>();
        var redirects = new List<(string Tarpit, int Port, TextPosition Position, string Default)>();
        foreach (var tarpit in tarpits)
        {
            var name = tarpit.Config.Name;
            var sameName = names.FirstOrDefault(n => n.Name == name);
            if (name.Length > 0 && sameName.Name is not null)
            {
                diagnostics.Add(tarpit.NamePosition, $"duplicate tarpit name {TomlText.Quote(name)}: the tarpit on line {sameName.Position.Line + 1} already has it; tarpit names must be unique");
            }

            names.Add((name, tarpit.NamePosition));
            for (var i = 0; i < tarpit.Config.Listen.Count; i++)
            {
                var endPoint = tarpit.Config.Listen[i];
                var clash = listeners.FirstOrDefault(l => ListenSyntax.Overlaps(l.EndPoint, endPoint));
                if (clash.EndPoint is not null)
                {
                    diagnostics.Add(tarpit.ListenPositions[i], ListenClash(endPoint, clash.EndPoint, clash.Tarpit, clash.Position));
                }

                listeners.Add((name, endPoint, tarpit.ListenPositions[i]));
            }

            for (var i = 0; i < tarpit.Config.RedirectPorts.Count; i++)
            {
                var port = tarpit.Config.RedirectPorts[i];
                var byDefault = tarpit.RedirectPortPositions[i] == tarpit.Header
                    ? $"the default for protocol = \"{ModeCatalog.Name(tarpit.Config.Protocol)}\""
                    : string.Empty;
                var claim = redirects.FirstOrDefault(r => r.Port == port);
                if (claim.Tarpit is not null)
                {
                    var mine = byDefault.Length > 0 ? $" ({byDefault})" : string.Empty;
                    var theirs = claim.Default.Length > 0 ? $", {claim.Default}" : string.Empty;
                    diagnostics.Add(tarpit.RedirectPortPositions[i], $"redirect port {port}{mine} is already claimed by {Describe(claim.Tarpit, claim.Position, theirs)}; connections to a port can be redirected into one tarpit only (set redirect_ports = [] for a pure decoy)");
                }

                redirects.Add((name, port, tarpit.RedirectPortPositions[i], byDefault));
            }
        }
    }

    /// <summary><c>tarpit "ssh" (line 4)</c>, or <c>the unnamed tarpit (line 4)</c>; <paramref name="note"/> goes inside the parentheses.</summary>
    private static string Describe(string tarpit, TextPosition position, string note = "") =>
        tarpit.Length > 0
            ? $"tarpit {TomlText.Quote(tarpit)} (line {position.Line + 1}{note})"
            : $"the unnamed tarpit (line {position.Line + 1}{note})";

    private static string ListenClash(IPEndPoint endPoint, IPEndPoint other, string owner, TextPosition position)
    {
        var text = TomlText.Quote(ListenSyntax.Format(endPoint));
        var where = Describe(owner, position);
        if (other.Equals(endPoint))
        {
            return $"listen address {text} is already used by {where}; each address and port can have one tarpit";
        }

        var why = endPoint.Address.Equals(IPAddress.IPv6Any) || other.Address.Equals(IPAddress.IPv6Any)
            ? "\"[::]\" is dual-stack and also takes IPv4"
            : "\"0.0.0.0\" takes every IPv4 address";
        return $"listen address {text} overlaps {TomlText.Quote(ListenSyntax.Format(other))} of {where}: {why}, so both cannot bind port {endPoint.Port}; use another port";
    }
}
