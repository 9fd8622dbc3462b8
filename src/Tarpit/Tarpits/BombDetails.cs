namespace Tarpit.Tarpits;

/// <summary>
/// The details a bomb session records (<see cref="SessionContext.Observe"/>) once, when it starts a bomb body, so
/// what the connection cost the client can be told from its Closed event: the body's length and what it inflates to.
/// </summary>
internal static class BombDetails
{
    public const string CompressedBytes = "bomb.compressed_bytes";

    public const string InflatedBytes = "bomb.inflated_bytes";
}
