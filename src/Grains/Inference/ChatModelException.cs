namespace Vectros.Grains.Inference;

/// <summary>
/// A chat model failed: the upstream refused, timed out or broke off. The message names the endpoint and the reason,
/// never the key or the prompt; the inference grain turns it into an <c>error</c> event (or a 5xx before the stream).
/// </summary>
public sealed class ChatModelException(string message, Exception? innerException = null) : Exception(message, innerException);
