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

    /// <summary>OpenAI backend: sent as a bearer token. A secret.</summary>
    public string? ApiKey { get; set; }

    /// <summary>OpenAI backend: the model name the upstream knows (defaults to <see cref="Id"/>).</summary>
    public string? UpstreamModel { get; set; }

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
