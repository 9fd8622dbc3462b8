using Microsoft.Data.Sqlite;

namespace Tarpit.Store;

/// <summary>
/// The state database refused a write for a reason the operator can fix (<see cref="StoreFault"/>): one sentence, exit
/// <see cref="ExitCodes.StoreUnavailable"/>, and nothing of the failed transaction kept. The daemon's ban service holds
/// the bans it decided meanwhile (<c>Bans/PendingBans</c>); a verb prints the sentence through the CLI boundary.
/// </summary>
internal sealed class StoreFaultException : OperatorException
{
    public StoreFaultException(StoreFault fault, string path, SqliteException innerException)
        : base($"{StoreFaults.Name(fault)}: {StoreFaults.Hint(fault, path)}; nothing was changed.", innerException, ExitCodes.StoreUnavailable)
    {
        Fault = fault;
    }

    public StoreFaultException()
        : base("The state database refused the write.", ExitCodes.StoreUnavailable)
    {
    }

    public StoreFaultException(string message)
        : base(message, ExitCodes.StoreUnavailable)
    {
    }

    public StoreFaultException(string message, Exception innerException)
        : base(message, innerException, ExitCodes.StoreUnavailable)
    {
    }

    public StoreFault Fault { get; }

    /// <summary>The fault's short name (<c>database is locked</c>), for log lines.</summary>
    public string FaultName => StoreFaults.Name(Fault);
}
