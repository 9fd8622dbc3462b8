namespace Tarpit.Tarpits;

/// <summary>
/// Per held connection. Touched only on the scheduler thread, so it needs no locks; keep it small (aim at ~100 bytes
/// of fields) and share everything else through the mode.
/// </summary>
internal interface ITarpitSession
{
    /// <summary>Writes what to send now into <see cref="SessionContext.Output"/> and says when to be called again.</summary>
    SessionStep Step(ref SessionContext context);
}
