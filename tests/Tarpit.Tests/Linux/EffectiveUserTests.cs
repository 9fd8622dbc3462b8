using Tarpit.Linux;

namespace Tarpit.Tests.Linux;

public sealed class EffectiveUserTests
{
    [Fact]
    public void The_effective_user_is_root_exactly_when_the_user_name_is_root()
    {
        Assert.Equal(Environment.UserName == "root", EffectiveUser.IsRoot);
        Assert.Equal(EffectiveUser.Id == 0, EffectiveUser.IsRoot);
    }

    [Fact]
    public void The_effective_user_owns_the_files_this_process_creates()
    {
        var path = Path.GetTempFileName();
        try
        {
            Assert.Equal(EffectiveUser.Id, FileStatus.Of(path)!.Value.Owner.UserId);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
