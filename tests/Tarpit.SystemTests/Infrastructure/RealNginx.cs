using System.Net;
using System.Net.Sockets;
using CliWrap;

namespace Tarpit.SystemTests.Infrastructure;

/// <summary>
/// Debian's nginx on a free loopback port, everything private to a temp dir (config, prefix, pid, logs, temp paths,
/// web root with one index.html, and for HTTPS a self-signed certificate made with openssl), one process in the
/// foreground (<c>daemon off; master_process off</c>). What the tarpits are compared with. Dispose stops it.
/// </summary>
internal sealed class RealNginx : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    private readonly CancellationTokenSource _stop;
    private readonly Task _process;
    private readonly DirectoryInfo _directory;

    private RealNginx(int port, DirectoryInfo directory, CancellationTokenSource stop, Task process)
    {
        Port = port;
        _directory = directory;
        _stop = stop;
        _process = process;
    }

    public int Port { get; }

    /// <param name="tls">Listen with <c>ssl</c> and Debian's default <c>ssl_protocols</c>/ciphers, a fresh RSA 2048 certificate.</param>
    public static async Task<RealNginx> StartAsync(bool tls, CancellationToken cancellationToken)
    {
        Prerequisites.Require(false, Binary, "openssl");
        var directory = Directory.CreateTempSubdirectory("tarpit-nginx-");
        var root = Directory.CreateDirectory(Path.Combine(directory.FullName, "www"));
        await File.WriteAllTextAsync(Path.Combine(root.FullName, "index.html"), "<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body><p>It works.</p></body></html>\n", cancellationToken);
        var port = FreePort();
        var d = directory.FullName;
        var ssl = "";
        if (tls)
        {
            await Cli.Wrap("openssl")
                .WithArguments(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=localhost", "-keyout", $"{d}/key.pem", "-out", $"{d}/cert.pem"])
                .WithValidation(CommandResultValidation.ZeroExitCode)
                .ExecuteAsync(cancellationToken);
            ssl = $" ssl;\n ssl_certificate {d}/cert.pem;\n ssl_certificate_key {d}/key.pem";
        }

        var config = $$"""
            daemon off;
            master_process off;
            pid {{d}}/nginx.pid;
            error_log {{d}}/error.log;
            events { worker_connections 64; }
            http {
             include /etc/nginx/mime.types;
             default_type application/octet-stream;
             access_log off;
             client_body_temp_path {{d}}/body; proxy_temp_path {{d}}/proxy; fastcgi_temp_path {{d}}/fastcgi;
             uwsgi_temp_path {{d}}/uwsgi; scgi_temp_path {{d}}/scgi;
             server {
              listen 127.0.0.1:{{port}}{{ssl}};
              root {{root.FullName}};
              index index.html;
             }
            }
            """;
        var file = Path.Combine(d, "nginx.conf");
        await File.WriteAllTextAsync(file, config, cancellationToken);
        var stop = new CancellationTokenSource();
        var process = Cli.Wrap(Binary)
            .WithArguments(["-p", d, "-c", file, "-e", $"{d}/error.log"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(stop.Token)
            .Task;
        var nginx = new RealNginx(port, directory, stop, process);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return nginx;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.IsCompleted)
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (SocketException)
            {
                var log = File.Exists($"{d}/error.log") ? await File.ReadAllTextAsync($"{d}/error.log", cancellationToken) : "";
                await nginx.DisposeAsync();
                throw new InvalidOperationException("nginx did not start listening: " + log);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _process.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _directory.Delete(recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
