namespace Tarpit.Detection.Filters;

internal sealed partial class SshdFilter
{
    /// <summary>
    /// The message classes, as <c>test-filter --print</c> names them (why a line was charged or excused). Each is the
    /// fail2ban <c>filter.d/sshd.conf</c> pattern it stands for; the mode that adds it is in brackets.
    /// </summary>
    public static class Rules
    {
        public const string Failed = "Failed <method> for [invalid user] <user> from <HOST>";
        public const string InvalidUser = "Invalid/Illegal user <user> from <HOST>";
        public const string NotAllowed = "User <user> from <HOST> not allowed because <AllowUsers/DenyUsers/groups>";
        public const string AccountLocked = "User <user> not allowed because account is locked (address by pid)";
        public const string RootRefused = "ROOT LOGIN REFUSED FROM <HOST>";
        public const string RefusedConnect = "refused connect from <name> (<HOST>)";
        public const string AuthFailure = "[PAM: ]Authentication failure/error for <user> from <HOST>";
        public const string NotKnown = "User not known to the underlying authentication module for <user> from <HOST>";
        public const string MaxAttempts = "maximum authentication attempts exceeded for <user> from <HOST>";
        public const string AuthFailDisconnect = "Received disconnect from <HOST>: 3: …: Auth fail";
        public const string ChangeOfUser = "Disconnecting invalid/authenticating user <user> <HOST> port N: Change of username or service not allowed";
        public const string TooManyUser = "Disconnecting invalid/authenticating user <user> <HOST> port N: Too many authentication failures";
        public const string TooMany = "Disconnecting: Too many authentication failures (address by pid)";
        public const string PamWithoutSshdLine = "pam_*(sshd:auth): authentication failure; rhost=<HOST> with no sshd line for it before the connection ended";
        public const string PamUserChanged = "pam_*(sshd:auth): authentication failure for one user, then another user tried or logged in on the same connection";
        public const string NoIdentification = "[ddos] Did not receive identification string from <HOST>";
        public const string KexIdentification = "[ddos] kex_exchange_identification: … (address by pid)";
        public const string BadProtocol = "[ddos] Bad protocol version identification '…' from <HOST>";
        public const string SocketReset = "[ddos] Read from socket failed: Connection reset by peer (address by pid)";
        public const string BannerExchange = "[ddos] banner exchange: Connection from <HOST>: invalid format";
        public const string PreauthClose = "[ddos] Connection closed/reset by / Disconnected from [user <user>] <HOST> [preauth]";
        public const string LoginGraceTimeout = "[ddos] Timeout before authentication for <HOST> (not in fail2ban's filter)";
        public const string NoAuthMethods = "[extra] Received disconnect from <HOST>: 14: No supported authentication methods available";
        public const string Negotiate = "[extra] Unable to negotiate with <HOST>: no matching <alg> found";
        public const string NegotiateByPid = "[extra] Unable to negotiate a <alg> / no matching <alg> found: (address by pid)";
        public const string PreauthUserDisconnect = "[extra] Disconnected from invalid/authenticating user <user> <HOST> [preauth]";

        /// <summary>Excused: a valid user's rejected key is how every key-based login starts (fail2ban's publickey = nofail, gh-1263).</summary>
        public const string ValidUserKey = "Failed publickey for a valid user: not a failure (fail2ban publickey = nofail, gh-1263)";

        /// <summary>Excused for now: held for sshd's own line about it, or the connection's end.</summary>
        public const string PamHeld = "pam_*(sshd:auth): authentication failure: held for sshd's own line, counted only if the connection ends without one";

        /// <summary>Excused for now: the line names no address, and its pid named none yet.</summary>
        public const string WaitingForAddress = "names no address: waits for another line of its pid";

        /// <summary>Excused: where sshd writes the address there is a host name, or a text that is not a plain IP address.</summary>
        public const string NotAnAddress = "not a plain IP address where sshd writes the client's (a host name, leading zeros, a zone id)";

        /// <summary>Excused: no address and no pid to find one by (<c>sshd -E FILE</c> lines carry no pid).</summary>
        public const string NoPid = "names no address, and the line carries no pid to join it by";
    }
}
