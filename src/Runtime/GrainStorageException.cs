namespace Vectros.Runtime;

/// <summary>
/// A storage failure other than an ETag conflict, wrapped once with the grain and state it
/// concerned (STYLE: "any other storage failure is wrapped once with the grain type and id").
/// </summary>
public sealed class GrainStorageException : Exception
{
    public GrainStorageException()
    {
    }

    public GrainStorageException(string message)
        : base(message)
    {
    }

    public GrainStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
