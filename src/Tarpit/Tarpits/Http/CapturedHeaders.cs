using System.Collections;

namespace Tarpit.Tarpits.Http;

/// <summary>A request's captured fields (<see cref="HeaderCapture"/>), equal by content so an <see cref="HttpRequest"/> stays a value.</summary>
internal sealed class CapturedHeaders(IReadOnlyList<CapturedHeader> fields) : IReadOnlyList<CapturedHeader>, IEquatable<CapturedHeaders>
{
    public static readonly CapturedHeaders None = new([]);

    public int Count => fields.Count;

    public CapturedHeader this[int index] => fields[index];

    public IEnumerator<CapturedHeader> GetEnumerator() => fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(CapturedHeaders? other) => other is not null && fields.SequenceEqual(other);

    public override bool Equals(object? obj) => Equals(obj as CapturedHeaders);

    public override int GetHashCode() => fields.Count;

    public override string ToString() => string.Join(", ", fields.Select(f => f.Name + ": " + f.Value));
}
