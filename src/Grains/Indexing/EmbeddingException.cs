namespace Vectros.Grains.Indexing;

/// <summary>
/// An embedder could not produce vectors for a batch. <see cref="Transient"/> says whether trying the same batch
/// later may work (the service was rate-limited, down or slow through every retry) or not (a 4xx, a wrong vector
/// width, a malformed answer). Messages never carry the API key.
/// </summary>
public sealed class EmbeddingException(string message, bool transient, Exception? innerException = null)
    : Exception(message, innerException)
{
    public bool Transient { get; } = transient;
}
