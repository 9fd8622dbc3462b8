using System.Threading.Channels;
using Tarpit.Detection.Filters;

namespace Tarpit.Detection.Sources;

/// <summary>Produces a watch's lines into a bounded channel until cancelled; waits when the channel is full.</summary>
internal interface ILogSource
{
    /// <summary>For logs: the file path or <c>journal:UNIT</c>.</summary>
    string Description { get; }

    /// <summary>Lines longer than the source's bound: cut, counted and never judged.</summary>
    long CutLines { get; }

    /// <summary>Found or not, lines read, the last line's time, the current problem: for <c>status</c> and the one warning.</summary>
    WatchHealth Health { get; }

    Task RunAsync(ChannelWriter<LogLine> lines, CancellationToken cancellationToken);
}
