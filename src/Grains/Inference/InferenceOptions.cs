using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Inference;

/// <summary>
/// Bound from <c>Vectros:Inference</c> and validated at start-up. The local extractive answerer
/// (<see cref="ExtractiveAnswerer.ModelId"/>) is always in the catalog; <see cref="Models"/> adds models, e.g. an
/// OpenAI-compatible chat API. <see cref="ChatModelEntry.ApiKey"/> is a secret: never logged, never in an error.
/// </summary>
public sealed class InferenceOptions : IValidatableObject
{
    public const string Section = "Vectros:Inference";

    public List<ChatModelEntry> Models { get; set; } = [];

    /// <summary>The alias used when a request names no model; null = the local extractive answerer.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>The catalog entry of the local answerer (its id is fixed; its rates and plans are configurable).</summary>
    public ChatModelEntry LocalModel { get; set; } = new()
    {
        Id = ExtractiveAnswerer.ModelId,
        Name = "Vectros extractive answerer",
        Provider = "Vectros",
        Backend = ChatModelBackend.Extractive,
        ContextWindow = 32_768,
        InputCreditsPer1kTokens = 0.02,
        OutputCreditsPer1kTokens = 0.1,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal) { ExtractiveAnswerer.ModelId };
        foreach (var model in Models)
        {
            foreach (var problem in model.Problems())
            {
                yield return new ValidationResult($"{Section}:Models '{model.Id}': {problem}");
            }

            if (!ids.Add(model.Id))
            {
                yield return new ValidationResult($"{Section}:Models: the id '{model.Id}' is configured twice.");
            }
        }

        foreach (var problem in LocalModel.Problems())
        {
            yield return new ValidationResult($"{Section}:LocalModel: {problem}");
        }

        if (DefaultModel is not null && !ids.Contains(DefaultModel))
        {
            yield return new ValidationResult($"{Section}:DefaultModel '{DefaultModel}' is not a configured model.");
        }
    }
}

public enum ChatModelBackend
{
    /// <summary>The local extractive answerer (DESIGN §1): needs nothing, answers only from retrieved passages.</summary>
    Extractive,

    /// <summary>Any OpenAI-compatible <c>POST {BaseUrl}/chat/completions</c> with streaming.</summary>
    OpenAI,
}

/// <summary>One model of the catalog: what <c>GET /v1/models</c> shows, how it is priced, and which backend serves it.</summary>
public sealed class ChatModelEntry
{
    public static readonly string[] PlanTiers = ["free", "starter", "pro", "scale", "enterprise"];

    /// <summary>The alias callers pass as <c>model</c>.</summary>
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The vendor's display name (spec ModelInfo.provider), e.g. <c>OpenAI</c>.</summary>
    public string Provider { get; set; } = "";

    public ChatModelBackend Backend { get; set; } = ChatModelBackend.OpenAI;

    public int ContextWindow { get; set; } = 128_000;

    /// <summary>Null = every plan tier.</summary>
    public List<string>? AvailableOn { get; set; }

    /// <summary>Base (non-US) rate in credits (= cents) per 1K input tokens.</summary>
    public double InputCreditsPer1kTokens { get; set; }

    public double OutputCreditsPer1kTokens { get; set; }

    /// <summary>US serving (the default) is billed at the base rate times this factor (spec RegionPricing).</summary>
    public double RegionPremiumFactor { get; set; } = 1.0;

    public bool GlobalAvailable { get; set; }

    /// <summary>OpenAI backend: the API root, e.g. <c>https://api.openai.com/v1</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>
    /// OpenAI backend: the operator's opt-out of the anti-SSRF guard for this model only. Off (the default), every
    /// connection to <see cref="BaseUrl"/> resolves the host at connect time and is refused when any answer is loopback,
    /// private, link-local or otherwise not public (<see cref="Network.BlockedAddresses"/>). On, loopback and the
    /// private ranges (<see cref="Network.BlockedAddresses.IsPrivateNetwork"/>) pass, for a vLLM or Ollama box inside
    /// the network; link-local (cloud metadata) and reserved addresses never do. Plain http needs it. Logged at start.
    /// </summary>
    public bool AllowPrivateNetwork { get; set; }

    /// <summary>OpenAI backend: sent as a bearer token. A secret.</summary>
    public string? ApiKey { get; set; }

    /// <summary>OpenAI backend: the model name the upstream knows (defaults to <see cref="Id"/>).</summary>
    public string? UpstreamModel { get; set; }

    /// <summary>OpenAI backend: connecting and receiving the response headers, per attempt (retried).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>OpenAI backend: from the response headers to the first text delta (not retried: the model is busy).</summary>
    public TimeSpan FirstTokenTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>OpenAI backend: the longest silence between two chunks once the answer has begun.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>OpenAI backend: retries before the first token (connection failures, 408, 429, 5xx); never after it.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>OpenAI backend: the first back-off; each retry doubles it, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>OpenAI backend: caps the back-off and a server's <c>Retry-After</c>.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(20);

    internal IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Id) || Id.Length > 100)
        {
            yield return "Id is required (at most 100 characters).";
        }

        if (ContextWindow is < 1024 or > 10_000_000)
        {
            yield return "ContextWindow must be between 1024 and 10000000 tokens.";
        }

        if (InputCreditsPer1kTokens < 0 || OutputCreditsPer1kTokens < 0 || double.IsNaN(InputCreditsPer1kTokens) || double.IsNaN(OutputCreditsPer1kTokens))
        {
            yield return "rates must be zero or more.";
        }

        if (!(RegionPremiumFactor >= 1.0))
        {
            yield return "RegionPremiumFactor must be 1.0 or greater.";
        }

        if (AvailableOn?.Find(tier => !PlanTiers.Contains(tier)) is { } unknown)
        {
            yield return $"AvailableOn names '{unknown}', not one of {string.Join(", ", PlanTiers)}.";
        }

        if (Backend == ChatModelBackend.OpenAI)
        {
            foreach (var problem in OpenAiProblems())
            {
                yield return problem;
            }
        }
    }

    /// <summary>The key is named, never shown: a problem message may reach a log.</summary>
    private IEnumerable<string> OpenAiProblems()
    {
        // Plain http would send the key and the prompts in the clear: only to a model the operator runs inside the
        // network (a local vLLM, llama.cpp, Ollama), which is exactly what AllowPrivateNetwork declares.
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var baseUrl)
            || !(baseUrl.Scheme == Uri.UriSchemeHttps || (baseUrl.Scheme == Uri.UriSchemeHttp && AllowPrivateNetwork)))
        {
            yield return "BaseUrl must be an absolute https URL (e.g. https://api.openai.com/v1), or http with AllowPrivateNetwork (a model inside the network), for the OpenAI backend.";
        }
        else if (RefusedLiteral(baseUrl) is { } refused)
        {
            // The connect-time guard would refuse every call: say so now rather than at the first chat.
            yield return AllowPrivateNetwork
                ? $"BaseUrl names {refused}, an address the anti-SSRF guard refuses even with AllowPrivateNetwork (link-local, multicast or reserved)."
                : $"BaseUrl names {refused}, a loopback or private address the anti-SSRF guard refuses; set AllowPrivateNetwork: true if the model really runs inside the network.";
        }

        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return "ApiKey is required for the OpenAI backend (a local server that checks none accepts any placeholder).";
        }

        if (ConnectTimeout <= TimeSpan.Zero || FirstTokenTimeout <= TimeSpan.Zero || IdleTimeout <= TimeSpan.Zero)
        {
            yield return "ConnectTimeout, FirstTokenTimeout and IdleTimeout must be positive.";
        }

        if (MaxRetries is < 0 or > 20)
        {
            yield return "MaxRetries must be between 0 and 20.";
        }

        if (RetryBaseDelay < TimeSpan.Zero || MaxRetryDelay < RetryBaseDelay)
        {
            yield return "RetryBaseDelay must be >= 0 and <= MaxRetryDelay.";
        }
    }

    /// <summary>The host when it is <c>localhost</c> or an address literal that the guard refuses for this entry.</summary>
    private string? RefusedLiteral(Uri url)
    {
        if (System.Net.IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var address))
        {
            return Network.BlockedAddresses.IsBlocked(address) && !(AllowPrivateNetwork && Network.BlockedAddresses.IsPrivateNetwork(address))
                ? url.IdnHost
                : null;
        }

        return url.IsLoopback && !AllowPrivateNetwork ? url.IdnHost : null;
    }

    internal Vectros.Grains.Abstractions.Inference.ModelDescriptor Describe() => new()
    {
        Id = Id,
        Name = string.IsNullOrWhiteSpace(Name) ? Id : Name,
        Provider = string.IsNullOrWhiteSpace(Provider) ? Backend.ToString() : Provider,
        ContextWindow = ContextWindow,
        AvailableOn = AvailableOn is { Count: > 0 } tiers ? [.. tiers] : PlanTiers,
        InputCreditsPer1kTokens = InputCreditsPer1kTokens,
        OutputCreditsPer1kTokens = OutputCreditsPer1kTokens,
        RegionPremiumFactor = RegionPremiumFactor,
        GlobalAvailable = GlobalAvailable,
    };
}
