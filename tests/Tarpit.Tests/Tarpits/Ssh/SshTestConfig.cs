using System.Net;
using Tarpit.Config;

namespace Tarpit.Tests.Tarpits.Ssh;

/// <summary>An SSH tarpit config for tests: loopback, short timings, nothing redirected.</summary>
internal static class SshTestConfig
{
    public static TarpitConfig Create(string mode, bool verifyClient = false, int port = 0) => new(
        Name: "ssh-test",
        Protocol: TarpitProtocol.Ssh,
        Mode: mode,
        Listen: [new IPEndPoint(IPAddress.Loopback, port)],
        RedirectPorts: [],
        Decoy: false,
        VerifyClient: verifyClient,
        ProbeDelay: TimeSpan.FromSeconds(2),
        Banner: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3",
        Interval: TimeSpan.FromSeconds(10),
        Jitter: 0.2,
        DripBytes: 16,
        MaxHold: TimeSpan.FromHours(1),
        MaxClients: 100,
        MaxClientsPerIp: 10,
        Http: null);
}
