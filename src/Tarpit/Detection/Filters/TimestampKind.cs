namespace Tarpit.Detection.Filters;

/// <summary>Where a <see cref="LogView"/> gets its time from.</summary>
internal enum TimestampKind
{
    /// <summary>The line has none: the time it was read.</summary>
    ReadAt,

    /// <summary>The source knew it (journald).</summary>
    Known,

    /// <summary><c>2026-11-23T10:00:00.123456+00:00</c> (rsyslog's high-precision format, Debian 12's default).</summary>
    Rfc3339,

    /// <summary><c>Nov 23 10:00:00</c> (RFC 3164): no year and no zone; local time, year inferred.</summary>
    Traditional,
}
