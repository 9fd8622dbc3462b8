namespace Tarpit;

/// <summary>
/// An error the operator can fix (bad arguments, nft missing, not root): printed as one clear message with an exit
/// code from <see cref="ExitCodes"/> and no stack trace. Everything else is a bug and is logged in full. Not sealed:
/// a family of operator errors that callers handle apart (the store's faults, <c>Store/StoreFaultException</c>) derives
/// from it, so the CLI boundary still prints it as one sentence with its code.
/// </summary>
internal class OperatorException : Exception
{
    public OperatorException(string message, int exitCode = ExitCodes.Failure)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public OperatorException(string message, Exception innerException, int exitCode = ExitCodes.Failure)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public OperatorException()
        : this("The operation failed.")
    {
    }

    public OperatorException(string message)
        : this(message, ExitCodes.Failure)
    {
    }

    public OperatorException(string message, Exception innerException)
        : this(message, innerException, ExitCodes.Failure)
    {
    }

    public int ExitCode { get; }
}
