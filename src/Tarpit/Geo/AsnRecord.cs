using MaxMind.Db;

namespace Tarpit.Geo;

/// <summary>The part of an ASN (or ISP) database record we read; see <see cref="LocationRecord"/> for why a model.</summary>
internal sealed class AsnRecord
{
    [Constructor]
    public AsnRecord(
        [MapKey("autonomous_system_number")] long? number,
        [MapKey("autonomous_system_organization")] string? organization)
    {
        Number = number;
        Organization = organization;
    }

    public long? Number { get; }

    public string? Organization { get; }
}
