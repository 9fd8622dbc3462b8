using System.Net;
using Microsoft.Extensions.Time.Testing;
using Tarpit.Detection.Filters;

namespace Tarpit.Tests.Detection.Sshd;

/// <summary>The prefixes Debian, RHEL, Alpine, the BSDs and Solaris write before sshd's message.</summary>
public sealed class SyslogShapeTests
{
    private static readonly FakeTimeProvider Time = CreateTime();

    public static TheoryData<string, string, int, string> Shapes => new()
    {
        // line, program, pid, timestamp (UTC, "" = read time)
        { "2026-11-23T10:00:00.123456+00:00 web1 sshd[1234]: Invalid user a from 192.0.2.7 port 22", "sshd", 1234, "2026-11-23T10:00:00.1234560+00:00" },
        { "2026-11-23T10:00:00Z web1 sshd-session[4]: Invalid user a from 192.0.2.7 port 22", "sshd-session", 4, "2026-11-23T10:00:00.0000000+00:00" },
        { "Nov 23 10:00:00 web1 sshd[12]: Invalid user a from 192.0.2.7 port 22", "sshd", 12, "2026-11-23T10:00:00.0000000+00:00" },
        { "Nov  3 10:00:00 web1 sshd[12]: Invalid user a from 192.0.2.7 port 22", "sshd", 12, "2026-11-03T10:00:00.0000000+00:00" },
        { "Jun 7 01:10:56 host sshd[5937]: Invalid user a from 192.0.2.7 port 22", "sshd", 5937, "2026-06-07T01:10:56.0000000+00:00" },
        { "Nov 23 21:50:19 sshd[8148]: Invalid user a from 192.0.2.7 port 22", "sshd", 8148, "2026-11-23T21:50:19.0000000+00:00" },
        { "Mar  3 00:17:22 [sshd]: Invalid user a from 192.0.2.7 port 22", "sshd", 0, "2026-03-03T00:17:22.0000000+00:00" },
        { "Jun 25 23:53:34 [sshd] Invalid user a from 192.0.2.7 port 22", "sshd", 0, "2026-06-25T23:53:34.0000000+00:00" },
        { "Mar 29 05:20:09 dusky sshd[19558]: [ID 800047 auth.info] Invalid user a from 192.0.2.7 port 22", "sshd", 19558, "2026-03-29T05:20:09.0000000+00:00" },
        { "Apr  2 17:51:32 <4.6> pancake sshd[55628]: Invalid user a from 192.0.2.7 port 22", "sshd", 55628, "2026-04-02T17:51:32.0000000+00:00" },
        { "Mar 19 23:48:18 <auth.info> pancake sshd[55517]: Invalid user a from 192.0.2.7 port 22", "sshd", 55517, "2026-03-19T23:48:18.0000000+00:00" },
        { "Nov 23 10:00:00 host kernel: [769570.846956] sshd[77]: Invalid user a from 192.0.2.7 port 22", "sshd", 77, "2026-11-23T10:00:00.0000000+00:00" },
        { "Nov 23 10:00:00 host sshd(pam_unix)[4920]: Invalid user a from 192.0.2.7 port 22", "sshd", 4920, "2026-11-23T10:00:00.0000000+00:00" },
        { "<38>1 2019-07-08T17:40:16.954167-04:00 hostname.example.com sshd 57915 - - Invalid user a from 192.0.2.7 port 22", "sshd", 57915, "2019-07-08T21:40:16.9541670+00:00" },
        { "<38>1 2019-07-08T17:40:17.954167-04:00 h sshd 55555 - [timeQuality tzKnown=\"1\" isSynced=\"0\"][xxx@123 test=\"[brackets]\"] Invalid user a from 192.0.2.7 port 22", "sshd", 55555, "2019-07-08T21:40:17.9541670+00:00" },
        { "<38>Nov 23 10:00:00 sshd[99]: Invalid user a from 192.0.2.7 port 22", "sshd", 99, "2026-11-23T10:00:00.0000000+00:00" },
        { "srv sshd[13709]: Invalid user a from 192.0.2.7 port 22", "sshd", 13709, "" },
        { "Invalid user a from 192.0.2.7 port 22", "", 0, "" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_shape_gives_program_pid_time_and_the_message(string line, string program, int pid, string timestamp)
    {
        var view = SyslogLine.Parse(line, Time.GetUtcNow(), Time);

        Assert.Equal("Invalid user a from 192.0.2.7 port 22", view.Message.ToString());
        Assert.Equal(program, view.Program.ToString());
        Assert.Equal(pid, view.Pid);
        Assert.Equal(timestamp.Length == 0 ? Time.GetUtcNow() : DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), view.Timestamp.ToUniversalTime());
        Assert.Equal(IPAddress.Parse("192.0.2.7"), new SshdFilter().Match(view).Address);
    }

    [Theory]
    [InlineData("Nov 23 10:00:00 web1 sudo[77]: Invalid user admin from 192.0.2.66 port 1")]
    [InlineData("<38>1 2019-07-08T17:40:16Z h myapp 1 - - Invalid user admin from 192.0.2.66 port 1")]
    [InlineData("Nov 23 10:00:00 web1 sshd2[77]: Invalid user admin from 192.0.2.66 port 1")]
    public void Other_programs_are_never_sshd(string line) =>
        Assert.Equal(FilterVerdict.Missed, new SshdFilter().Match(SyslogLine.Parse(line, Time.GetUtcNow(), Time)).Verdict);

    private static FakeTimeProvider CreateTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        return time;
    }
}
