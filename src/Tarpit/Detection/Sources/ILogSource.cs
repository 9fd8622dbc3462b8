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

    Task RunAsync(ChannelWriter<LogLine> lines, CancellationToken cancellationToken);
}
