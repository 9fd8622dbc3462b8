namespace Tarpit.Tests.Store;

/// <summary>A fresh state directory under the temp dir, deleted on dispose.</summary>
internal sealed class TempStateDir : IDisposable
{
    public TempStateDir()
    {
        Parent = Directory.CreateTempSubdirectory("tarpit-store-").FullName;
        Path = System.IO.Path.Combine(Parent, "state");
    }

    public string Parent { get; }

    /// <summary>Not created yet: the store creates it.</summary>
    public string Path { get; }

    public void Dispose() => Directory.Delete(Parent, recursive: true);
}
