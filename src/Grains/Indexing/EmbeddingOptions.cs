using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Indexing;

/// <summary>Which <see cref="IEmbedder"/> serves the silo.</summary>
public enum EmbeddingProvider
{
    /// <summary>all-MiniLM-L6-v2 in process (the default: semantic search with nothing to download, DESIGN §1).</summary>
    MiniLM,

    /// <summary>Any OpenAI-compatible <c>POST {BaseUrl}/embeddings</c> (OpenAI, Azure, vLLM, llama.cpp, Ollama, TEI).</summary>
    OpenAI,

    /// <summary>Word hashing: fast and deterministic, for tests that do not judge relevance.</summary>
    Hashing,
}

/// <summary>
/// Bound from <c>Vectros:Embeddings</c> and validated at start-up. The OpenAI settings matter only when
/// <see cref="Provider"/> is <see cref="EmbeddingProvider.OpenAI"/>. <see cref="ApiKey"/> is a secret: it is sent
/// as a bearer token and never logged or put in an exception message.
/// </summary>
public sealed class EmbeddingOptions : IValidatableObject
{
    public const string Section = "Vectros:Embeddings";

    public EmbeddingProvider Provider { get; set; } = EmbeddingProvider.MiniLM;

    /// <summary>The API root, e.g. <c>https://api.openai.com/v1</c>; requests go to <c>{BaseUrl}/embeddings</c>.</summary>
    public string? BaseUrl { get; set; }

    public string? ApiKey { get; set; }

    public string Model { get; set; } = "text-embedding-3-small";

    /// <summary>
    /// The vector width the server must return: the width of <c>chunks.embedding</c>
    /// (<see cref="EmbeddingDimensions.Index"/>), checked at start-up and on every response.
    /// </summary>
    public int Dimensions { get; set; } = EmbeddingDimensions.Index;

    /// <summary>
    /// Send <c>dimensions</c> in the request (OpenAI's text-embedding-3 models shorten their vectors to it). Turn off
    /// for servers that reject the field and already serve <see cref="Dimensions"/>-wide vectors.
    /// </summary>
    public bool SendDimensions { get; set; } = true;

    /// <summary>Texts per request (OpenAI) or per model run (MiniLM).</summary>
    [Range(1, 2048)]
    public int BatchSize { get; set; } = 32;

    /// <summary>Per HTTP request, not per batch of retries.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt on 429, 5xx, time-outs and connection failures.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first back-off; each retry doubles it, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Caps both the back-off and a server's <c>Retry-After</c>.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Provider))
        {
            yield return new ValidationResult($"{Section}:Provider must be MiniLM, OpenAI or Hashing.", [nameof(Provider)]);
        }

        if (Provider != EmbeddingProvider.OpenAI)
        {
            yield break;
        }

        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult($"{Section}:BaseUrl must be an absolute http(s) URL (e.g. https://api.openai.com/v1) when Provider is OpenAI.", [nameof(BaseUrl)]);
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            yield return new ValidationResult($"{Section}:Model must name the embedding model when Provider is OpenAI.", [nameof(Model)]);
        }

        // chunks.embedding is vector(384): another width would fail at the first write, so refuse to start instead.
        if (Dimensions != EmbeddingDimensions.Index)
        {
            yield return new ValidationResult(
                $"{Section}:Dimensions is {Dimensions}, but the search index stores {EmbeddingDimensions.Index}-dimensional vectors: choose a model (or its dimensions setting) that returns {EmbeddingDimensions.Index}.",
                [nameof(Dimensions)]);
        }

        if (Timeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"{Section}:Timeout must be positive.", [nameof(Timeout)]);
        }

        if (RetryBaseDelay < TimeSpan.Zero || MaxRetryDelay < RetryBaseDelay)
        {
            yield return new ValidationResult($"{Section}:RetryBaseDelay must be >= 0 and <= MaxRetryDelay.", [nameof(RetryBaseDelay)]);
        }
    }

    /// <summary>The key is a secret: keep it out of anything that prints options.</summary>
    public override string ToString() =>
        $"Provider={Provider}, BaseUrl={BaseUrl}, Model={Model}, Dimensions={Dimensions}, BatchSize={BatchSize}, ApiKey={(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")}";
}
