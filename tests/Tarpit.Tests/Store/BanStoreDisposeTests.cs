using Tarpit.Store;

namespace Tarpit.Tests.Store;

public sealed class BanStoreDisposeTests
{
    [Fact]
    public void Disposing_the_store_closes_the_database_file_and_later_calls_are_refused()
    {
        using var dir = new TempStateDir();
        var store = BanStore.Open(dir.Path);
        store.Insert(BanStoreTests.Ban("192.0.2.2/32", TimeSpan.FromHours(1)));

        store.Dispose();
        store.Dispose();

        Assert.True(store.IsDisposed);
        Assert.Empty(OpenFiles.Under(dir.Path));
        Assert.Throws<ObjectDisposedException>(() => store.Insert(BanStoreTests.Ban("192.0.2.3/32", TimeSpan.FromHours(1))));
        using var reopened = BanStore.Open(dir.Path);
        Assert.Single(reopened.Active(DateTimeOffset.UnixEpoch));
    }
}
