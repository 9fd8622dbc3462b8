namespace Tarpit.Linux;

/// <summary>The user and group that own a file.</summary>
internal readonly record struct FileOwner(uint UserId, uint GroupId)
{
    public bool IsRoot => UserId == 0;
}
