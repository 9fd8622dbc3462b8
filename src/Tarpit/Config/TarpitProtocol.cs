namespace Tarpit.Config;

/// <summary>The protocol a tarpit speaks: <c>protocol = "ssh" | "http" | "tls"</c>.</summary>
internal enum TarpitProtocol
{
    Ssh,
    Http,
    Tls,
}
