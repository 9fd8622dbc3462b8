using System.Globalization;
using Tomlyn.Syntax;

namespace Tarpit.Config;

/// <summary>Typed reads: each reports a wrong type or an out-of-range value at the value and falls back to the default.</summary>
internal sealed partial class TomlTableView
{
    public string GetString(string key, string fallback) => GetString(key, out _) ?? fallback;

    /// <summary>The string at <paramref name="key"/>, or null when absent or of another type (reported).</summary>
    public string? GetString(string key, out ValueSyntax? node)
    {
        node = Take(key);
        switch (node)
        {
            case null:
                return null;
            case StringValueSyntax s:
                return s.Value ?? string.Empty;
            default:
                WrongType(key, node, "a string");
                return null;
        }
    }

    public bool GetBool(string key, bool fallback)
    {
        var node = Take(key);
        switch (node)
        {
            case null:
                return fallback;
            case BooleanValueSyntax b:
                return b.Value;
            default:
                WrongType(key, node, "a boolean (true or false)");
                return fallback;
        }
    }

    public int GetInt(string key, int fallback, int min, int max) => (int)GetLong(key, fallback, min, max);

    public long GetLong(string key, long fallback, long min, long max)
    {
        var node = Take(key);
        switch (node)
        {
            case null:
                return fallback;
            case IntegerValueSyntax i when i.Value < min || i.Value > max:
                OutOfRange(key, node, i.Value.ToString(CultureInfo.InvariantCulture), $"{min}-{max}");
                return fallback;
            case IntegerValueSyntax i:
                return i.Value;
            default:
                WrongType(key, node, $"an integer ({min}-{max})");
                return fallback;
        }
    }

    /// <summary>A float (an integer is accepted too) for which <paramref name="isAllowed"/> holds.</summary>
    public double GetDouble(string key, double fallback, Func<double, bool> isAllowed, string allowed)
    {
        var node = Take(key);
        double value;
        switch (node)
        {
            case null:
                return fallback;
            case FloatValueSyntax f:
                value = f.Value;
                break;
            case IntegerValueSyntax i:
                value = i.Value;
                break;
            default:
                WrongType(key, node, $"a number ({allowed})");
                return fallback;
        }

        if (!double.IsFinite(value) || !isAllowed(value))
        {
            OutOfRange(key, node, TomlText.Float(value), allowed);
            return fallback;
        }

        return value;
    }

    /// <summary>A positive duration: <c>"10m"</c>, <c>"1h30m"</c>, or an integer number of seconds; at most <see cref="DurationSyntax.Max"/>.</summary>
    public TimeSpan GetDuration(string key, TimeSpan fallback) => GetDuration(key, fallback, DurationSyntax.Max);

    /// <summary>A positive duration of at most <paramref name="max"/> (itself at most <see cref="DurationSyntax.Max"/>).</summary>
    public TimeSpan GetDuration(string key, TimeSpan fallback, TimeSpan max)
    {
        var node = Take(key);
        string text;
        switch (node)
        {
            case null:
                return fallback;
            case StringValueSyntax s:
                text = s.Value ?? string.Empty;
                break;
            case IntegerValueSyntax i:
                text = i.Value.ToString(CultureInfo.InvariantCulture);
                break;
            default:
                WrongType(key, node, DurationSyntax.Allowed);
                return fallback;
        }

        if (text.TrimStart().StartsWith('-') || (DurationSyntax.TryParse(text, out var zero) && zero == TimeSpan.Zero))
        {
            Diagnostics.Add(node, $"'{key}' must be longer than zero: found {TomlText.Describe(node)}, expected a positive duration like \"10s\" or \"1h\"");
            return fallback;
        }

        if (!DurationSyntax.TryParse(text, out var value))
        {
            Diagnostics.Add(node, $"'{key}' is not a valid duration: found {TomlText.Describe(node)}, expected {DurationSyntax.Allowed} (at most {DurationSyntax.Format(max)})");
            return fallback;
        }

        if (value > max)
        {
            OutOfRange(key, node, TomlText.Describe(node), $"1ms-{DurationSyntax.Format(max)}");
            return fallback;
        }

        return value;
    }

    /// <summary>A size in bytes: an integer, or <c>"64KiB"</c>, <c>"10MB"</c>, within <paramref name="min"/>..<paramref name="max"/>.</summary>
    public long GetSize(string key, long fallback, long min, long max)
    {
        var node = Take(key);
        long value;
        switch (node)
        {
            case null:
                return fallback;
            case IntegerValueSyntax i:
                value = i.Value;
                break;
            case StringValueSyntax s when SizeSyntax.TryParse(s.Value, out var parsed):
                value = parsed;
                break;
            case StringValueSyntax:
                Diagnostics.Add(node, $"'{key}' is not a valid size: found {TomlText.Describe(node)}, expected {SizeSyntax.Allowed}");
                return fallback;
            default:
                WrongType(key, node, SizeSyntax.Allowed);
                return fallback;
        }

        if (value < min || value > max)
        {
            OutOfRange(key, node, TomlText.Describe(node), $"{SizeSyntax.Format(min)}-{SizeSyntax.Format(max)}");
            return fallback;
        }

        return value;
    }

    /// <summary>The items of an array at <paramref name="key"/> with their nodes; null when absent or not an array (reported).</summary>
    public IReadOnlyList<ValueSyntax>? GetArray(string key)
    {
        var node = Take(key);
        switch (node)
        {
            case null:
                return null;
            case ArraySyntax array:
                return [.. array.Items.Select(item => item.Value).OfType<ValueSyntax>()];
            default:
                WrongType(key, node, "an array");
                return null;
        }
    }

    public void WrongType(string key, ValueSyntax node, string expected) =>
        Diagnostics.Add(node, $"'{key}' has the wrong type: found {TomlText.Describe(node)}, expected {expected}");

    public void OutOfRange(string key, SyntaxNode node, string found, string allowed) =>
        Diagnostics.Add(node, $"'{key}' is out of range: found {found}, allowed {allowed}");
}
