namespace Vectros.Runtime;

/// <summary>
/// A grain call got no response within <see cref="RuntimeOptions.ResponseTimeout"/>. This is also
/// how call cycles between non-reentrant grains (A→B→A) end (DESIGN §3 "Turns").
/// </summary>
public sealed class GrainCallTimeoutException : TimeoutException
{
    public GrainCallTimeoutException()
    {
    }

    public GrainCallTimeoutException(string message)
        : base(message)
    {
    }

    public GrainCallTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static GrainCallTimeoutException For(GrainId grainId, string method, TimeSpan timeout) =>
        new($"Call to {method} on grain {grainId} got no response within {timeout}.");
}
