namespace Vectros.Runtime;

/// <summary>
/// A state write or clear found a different ETag in storage than the one it read: another
/// activation changed the record (DESIGN §3 "State"). Re-read, then retry or give up.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException()
    {
    }

    public InconsistentStateException(string message)
        : base(message)
    {
    }

    public InconsistentStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
