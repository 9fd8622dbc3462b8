namespace Tarpit.Tarpits.Ssh;

/// <summary>An SSH mode's way of holding a connection, once client verification (if any) has let it through.</summary>
internal interface ISshHold
{
    /// <summary>
    /// The session that holds connection <paramref name="connectionId"/> from now on; a mode whose connections keep
    /// their state in <see cref="SessionContext.State"/> returns one shared session.
    /// </summary>
    ITarpitSession Hold(long connectionId);
}
