namespace Tarpit.Tarpits.Ssh;

/// <summary>What <see cref="ClientKexReader"/> made of the client's stream so far.</summary>
internal enum ClientKexReading
{
    /// <summary>More bytes are needed.</summary>
    Incomplete,

    /// <summary>The client sent its KEXINIT and its finite-field Diffie-Hellman init: <see cref="KexDhReply"/> answers it.</summary>
    DhInitReceived,

    /// <summary>
    /// The client's identification string names another protocol major version (nmap's <c>ssh-hostkey</c> tries
    /// "SSH-1.5-" first): sshd answers <see cref="ClientKexReader.MajorVersionsDiffer"/> and closes.
    /// </summary>
    OtherMajorVersion,

    /// <summary>Anything else (another key exchange, a bound passed, a malformed packet): the hold drips as before.</summary>
    NotAnswered,
}
