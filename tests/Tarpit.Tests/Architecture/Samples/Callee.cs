namespace Tarpit.Tests.Architecture.Samples.Called;

/// <summary>Depends back on <c>Samples.Calling</c> only through a <c>typeof</c> in its body, closing a cycle.</summary>
internal static class Callee
{
    public static int Helper() => typeof(Calling.Caller).Name.Length;
}
