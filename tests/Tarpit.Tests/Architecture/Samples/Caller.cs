namespace Tarpit.Tests.Architecture.Samples.Calling;

/// <summary>Depends on <c>Samples.Called</c> only through a static call inside a lambda: no signature names it.</summary>
internal static class Caller
{
    public static Func<int> Later() => () => Called.Callee.Helper() + 1;
}
