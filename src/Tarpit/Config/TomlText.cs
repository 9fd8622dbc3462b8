using System.Globalization;
using System.Text;
using Tarpit.Net;
using Tomlyn.Syntax;

namespace Tarpit.Config;

/// <summary>Spelling TOML values: quoted strings for the printer and for "found …" in diagnostics.</summary>
internal static class TomlText
{
    /// <summary>How address errors in config write what they found and what to write instead: both as TOML strings.</summary>
    public static NetworkTextStyle Networks { get; } = new(Quote, Quote);

    /// <summary>A TOML basic string: <c>"a \"b\" \\ c"</c>, control characters as <c>\uXXXX</c>.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case < ' ' or '\u007f':
                    builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A float that TOML reads back as the same double: <c>2.0</c>, <c>0.5</c>, <c>1e-05</c>.</summary>
    public static string Float(double value)
    {
        if (!double.IsFinite(value))
        {
            return double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>What a diagnostic says was found: <c>string "yes"</c>, <c>integer 5</c>, <c>an array</c>.</summary>
    public static string Describe(ValueSyntax? value) => value switch
    {
        StringValueSyntax s => "string " + Quote(s.Value ?? string.Empty),
        IntegerValueSyntax i => "integer " + i.Value.ToString(CultureInfo.InvariantCulture),
        FloatValueSyntax f => "float " + Float(f.Value),
        BooleanValueSyntax b => b.Value ? "boolean true" : "boolean false",
        DateTimeValueSyntax d => "date-time " + d.Token?.Text,
        ArraySyntax => "an array",
        InlineTableSyntax => "an inline table",
        _ => "nothing",
    };
}
