using System.Text.RegularExpressions;

namespace Tarpit.Detection.Filters;

/// <summary>
/// The OpenSSH 9.2 (Debian 12) and 9.8+ (Debian 13, <c>sshd-session</c>) messages. Every pattern whose text contains an
/// attacker-chosen user name is anchored on the END of the message, where sshd writes the address and port after
/// the name (<c>from &lt;addr&gt; port &lt;n&gt;( ssh2)?( \[preauth\])?$</c>), so a name like
/// <c>1.2.3.4 from 5.6.7.8 port 22</c> can never move the match; patterns whose address comes before any attacker
/// text are anchored on the start. The user part is greedy, so the LAST <c>from</c> wins.
/// </summary>
internal sealed partial class SshdFilter
{
    private const string Address = @"[0-9A-Fa-f:.]{2,61}";
    private const string Preauth = @"(?: \[preauth\])?";

    // Invalid user admin from 192.0.2.7 port 52344
    [GeneratedRegex(@"^Invalid user .* from " + Address + @" port \d{1,5}$", RegexOptions.CultureInvariant)]
    private static partial Regex InvalidUser();

    // Failed password for invalid user admin from 192.0.2.7 port 52344 ssh2
    // Failed password for root from 192.0.2.7 port 52344 ssh2
    // Failed publickey for git from 192.0.2.7 port 52344 ssh2: ED25519 SHA256:AbC...
    [GeneratedRegex(@"^Failed (?:password|publickey|none|keyboard-interactive(?:/pam)?|hostbased|gssapi-with-mic) for (?:invalid user )?.* from " + Address + @" port \d{1,5} ssh2(?:: \S+ \S+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Failed();

    // error: maximum authentication attempts exceeded for invalid user admin from 192.0.2.7 port 52344 ssh2 [preauth]
    [GeneratedRegex(@"^(?:error: )?maximum authentication attempts exceeded for (?:invalid user )?.* from " + Address + @" port \d{1,5} ssh2" + Preauth + "$", RegexOptions.CultureInvariant)]
    private static partial Regex MaxAttempts();

    // Disconnecting invalid user admin 192.0.2.7 port 52344: Too many authentication failures [preauth]
    // Disconnecting authenticating user root 192.0.2.7 port 52344: Too many authentication failures [preauth]
    [GeneratedRegex(@"^Disconnecting (?:invalid|authenticating) user .* " + Address + @" port \d{1,5}: Too many authentication failures" + Preauth + "$", RegexOptions.CultureInvariant)]
    private static partial Regex TooManyFailures();

    // aggressive: Connection closed by invalid user admin 192.0.2.7 port 52344 [preauth]
    //             Connection reset by 192.0.2.7 port 52344 [preauth]
    [GeneratedRegex(@"^Connection (?:closed|reset) by (?:(?:invalid|authenticating) user .* )?" + Address + @" port \d{1,5} \[preauth\]$", RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionClosedPreauth();

    // aggressive: Disconnected from invalid user admin 192.0.2.7 port 52344 [preauth]
    [GeneratedRegex(@"^Disconnected from (?:(?:invalid|authenticating) user .* )?" + Address + @" port \d{1,5} \[preauth\]$", RegexOptions.CultureInvariant)]
    private static partial Regex DisconnectedPreauth();

    // aggressive: Received disconnect from 192.0.2.7 port 52344:11: Bye Bye [preauth]  (address before the client's text)
    [GeneratedRegex(@"^Received disconnect from " + Address + @" port \d{1,5}:\d+: .*\[preauth\]$", RegexOptions.CultureInvariant)]
    private static partial Regex ReceivedDisconnectPreauth();

    // aggressive: banner exchange: Connection from 192.0.2.7 port 52344: invalid format
    [GeneratedRegex(@"^(?:error: )?banner exchange: Connection from " + Address + @" port \d{1,5}: ", RegexOptions.CultureInvariant)]
    private static partial Regex BannerExchange();

    // aggressive: Unable to negotiate with 192.0.2.7 port 52344: no matching key exchange method found. Their offer: ...
    [GeneratedRegex(@"^Unable to negotiate with " + Address + @" port \d{1,5}: no matching ", RegexOptions.CultureInvariant)]
    private static partial Regex UnableToNegotiate();

    // aggressive: Timeout before authentication for 192.0.2.7 port 52344
    [GeneratedRegex(@"^Timeout before authentication for " + Address + @" port \d{1,5}$", RegexOptions.CultureInvariant)]
    private static partial Regex LoginGraceTimeout();

    // aggressive: Did not receive identification string from 192.0.2.7 port 52344
    [GeneratedRegex(@"^Did not receive identification string from " + Address + @" port \d{1,5}$", RegexOptions.CultureInvariant)]
    private static partial Regex NoIdentification();
}
