namespace Tarpit.Tarpits.Ssh;

/// <summary>An SSH mode's way of holding a connection, once client verification (if any) has let it through.</summary>
internal interface ISshHold
{
    ITarpitSession Hold(ulong seed);
}
