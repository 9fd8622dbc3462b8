using CliWrap;

namespace Tarpit.SystemTests.Infrastructure;

/// <summary>
/// Debian's nginx as the reverse proxy in front of the agent, inside a test namespace: a private prefix, config, pid,
/// logs and temp paths in a temp dir (never the system's config or service), one process in the foreground
/// (<c>-g 'daemon off;'</c>, <c>master_process off</c>), one <c>server { }</c> on the address it is given that includes
/// <c>contrib/nginx/tarpit-locations.conf</c> as it ships and answers every other path itself. Dispose stops it.
/// </summary>
internal sealed class FrontNginx : IAsyncDisposable
{
    /// <summary>What the site answers for a path that is not a trap.</summary>
    public const string SiteAnswer = "the real site";

    private readonly CancellationTokenSource _stop;
    private readonly Task _process;
    private readonly DirectoryInfo _directory;

    private FrontNginx(DirectoryInfo directory, CancellationTokenSource stop, Task process)
    {
        _directory = directory;
        _stop = stop;
        _process = process;
    }

    public string ErrorLog => Path.Combine(_directory.FullName, "error.log");

    /// <summary>The contrib file the operators include, from the repository the tests were built from.</summary>
    public static string ContribLocations => Path.Combine(RepoRoot(), "contrib", "nginx", "tarpit-locations.conf");

    /// <summary>Starts nginx in <paramref name="netns"/> listening on <paramref name="host"/>:<paramref name="port"/> and waits until it accepts.</summary>
    public static async Task<FrontNginx> StartAsync(string netns, string host, int port, CancellationToken cancellationToken)
    {
        Prerequisites.Require(true, RealNginx.Binary, "ip", "bash");
        var directory = Directory.CreateTempSubdirectory("tarpit-front-nginx-");
        var d = directory.FullName;
        var config = $$"""
            master_process off;
            pid {{d}}/nginx.pid;
            error_log {{d}}/error.log info;
            events { worker_connections 64; }
            http {
             default_type text/plain;
             access_log {{d}}/access.log;
             client_body_temp_path {{d}}/body; proxy_temp_path {{d}}/proxy; fastcgi_temp_path {{d}}/fastcgi;
             uwsgi_temp_path {{d}}/uwsgi; scgi_temp_path {{d}}/scgi;
             server {
              listen {{host}}:{{port}};
              server_name _;
              include {{ContribLocations}};
              location / { return 200 "{{SiteAnswer}}\n"; }
             }
            }
            """;
        var file = Path.Combine(d, "nginx.conf");
        await File.WriteAllTextAsync(file, config, cancellationToken);
        var stop = new CancellationTokenSource();
        var process = Cli.Wrap("ip")
            .WithArguments(["netns", "exec", netns, RealNginx.Binary, "-p", d, "-c", file, "-e", $"{d}/error.log", "-g", "daemon off;"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(stop.Token)
            .Task;
        var nginx = new FrontNginx(directory, stop, process);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var (code, _) = await TestNetwork.ExecAsync(netns, ["bash", "-c", $"exec 3<>/dev/tcp/{host}/{port}"], TimeSpan.FromSeconds(5), cancellationToken);
            if (code == 0)
            {
                return nginx;
            }

            if (DateTime.UtcNow >= deadline || process.IsCompleted)
            {
                var log = File.Exists(nginx.ErrorLog) ? await File.ReadAllTextAsync(nginx.ErrorLog, cancellationToken) : "";
                await nginx.DisposeAsync();
                throw new InvalidOperationException("nginx did not start listening: " + log);
            }

            await Task.Delay(100, cancellationToken);
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

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tarpit.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Tarpit.sln not found above " + AppContext.BaseDirectory);
    }
}
