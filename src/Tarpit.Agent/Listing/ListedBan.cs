using Tarpit.Store;

namespace Tarpit.Agent.Listing;

/// <summary>A row of <c>tarpit-agent list</c>: the store's view joined with the kernel's.</summary>
/// <param name="InFirewall">Whether the kernel set holds the element; null when nft could not be asked.</param>
/// <param name="ExpiresIn">Time left: the kernel's when it has the element, else the store's; null when permanent or over.</param>
internal sealed record ListedBan(BanListRow Row, bool? InFirewall, TimeSpan? ExpiresIn);
