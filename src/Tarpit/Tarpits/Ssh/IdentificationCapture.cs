namespace Tarpit.Tarpits.Ssh;

/// <summary>
/// The capture of an SSH client's identification string (issue 19 §2), published as <see cref="CaptureKeys.Ssh"/>:
/// RFC 4253 §4.2 <c>SSH-protoversion-softwareversion SP comments</c>, the whole line (without CR LF, at most
/// <see cref="ClientIdentification.MaxLineLength"/> bytes) and its parts, escaped.
/// </summary>
internal static class IdentificationCapture
{
    public static string Compose(ReadOnlySpan<byte> line)
    {
        var identification = Text.AttackerText.Escape(line, ClientIdentification.MaxLineLength * 4);
        string? protocol = null, software = null, comments = null;
        if (line.StartsWith("SSH-"u8))
        {
            var rest = line["SSH-".Length..];
            var dash = rest.IndexOf((byte)'-');
            if (dash >= 0)
            {
                protocol = Text.AttackerText.Escape(rest[..dash], ClientIdentification.MaxLineLength * 4);
                var after = rest[(dash + 1)..];
                var space = after.IndexOf((byte)' ');
                software = Text.AttackerText.Escape(space < 0 ? after : after[..space], ClientIdentification.MaxLineLength * 4);
                comments = space < 0 ? null : Text.AttackerText.Escape(after[(space + 1)..], ClientIdentification.MaxLineLength * 4);
            }
        }

        return CaptureJson.Object((identification, protocol, software, comments), static (writer, parts) =>
        {
            writer.WriteString("identification", parts.identification);
            CaptureJson.StringOrNull(writer, "protocol", parts.protocol);
            CaptureJson.StringOrNull(writer, "software", parts.software);
            CaptureJson.StringOrNull(writer, "comments", parts.comments);
        });
    }
}
