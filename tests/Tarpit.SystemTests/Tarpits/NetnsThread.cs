using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Tarpit.SystemTests.Tarpits;

/// <summary>
/// Runs a synchronous action on a fresh thread that first joins a test-created network namespace (setns), so the
/// sockets it creates live there. The thread exits afterwards: no pool thread ever changes namespace.
/// </summary>
internal static partial class NetnsThread
{
    // <sched.h>
    private const int CloneNewNet = 0x40000000;

    public static T Run<T>(string netns, Func<T> action)
    {
        var result = default(T)!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(Path.Combine("/var/run/netns", netns));
                if (setns((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns into {netns} failed: errno {Marshal.GetLastPInvokeError()}");
                }

                result = action();
            }
            catch (Exception ex)
            {
                error = ex;
            }
        });
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"The action in namespace {netns} did not finish within 30 s.");
        }

        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        return result;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);
}
