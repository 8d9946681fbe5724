using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Inference;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>Spec ChatMessage (L10135).</summary>
public sealed record ChatMessageRequest(string? Role, string? Content);

/// <summary>Spec ChatRequest (L10155).</summary>
public sealed record ChatRequest
{
    public IReadOnlyList<ChatMessageRequest>? Messages { get; init; }
    public string? Model { get; init; }
    public int? MaxTokens { get; init; }
    public double? Temperature { get; init; }
    public double? TopP { get; init; }
    public bool? AllowGlobalRegion { get; init; }
}

/// <summary>Spec RagRequest (L10423).</summary>
public sealed record RagRequest
{
    public string? Query { get; init; }
    public string? Instructions { get; init; }
    public string? Model { get; init; }
    public RagSearchRequest? Search { get; init; }
    public int? MaxTokens { get; init; }
    public double? Temperature { get; init; }
    public bool? AllowGlobalRegion { get; init; }
}

/// <summary>Spec RagSearch (L10460) with the 0.40 <c>scope</c> (API-DELTA §7) beside the 0.31 orgId/clientId.</summary>
public sealed record RagSearchRequest
{
    public string? Mode { get; init; }
    public int? Limit { get; init; }
    public JsonObject? Filters { get; init; }
    public string? UserId { get; init; }
    public string? OrgId { get; init; }
    public string? ClientId { get; init; }
    public string? Scope { get; init; }
    public IReadOnlyList<string>? ContentTypes { get; init; }
    public string? FolderId { get; init; }
    public string? RootFolderId { get; init; }
    public string? TypeName { get; init; }
    public string? CreatedAfter { get; init; }
    public string? CreatedBefore { get; init; }
    public bool? RequireComplete { get; init; }
}

/// <summary>Spec DocumentAskRequest (L10242).</summary>
public sealed record DocumentAskRequest
{
    public string? Prompt { get; init; }
    public string? Instructions { get; init; }
    public string? Model { get; init; }
    public int? MaxTokens { get; init; }
    public double? Temperature { get; init; }
    public bool? AllowGlobalRegion { get; init; }
}

/// <summary>
/// Checks each request's top-level fields (400 naming the field; the spec's defaults and maxima) and builds the
/// grain's call. The model alias and prompt sizes are the grain's to check: it knows the catalog and the budgets.
/// </summary>
public static class InferenceRequestReader
{
    /// <summary>Longest text accepted in one message, prompt or query field, before any token budget applies.</summary>
    public const int MaxTextChars = 1_000_000;

    public const int RagMaxResults = 50;

    public static ChatCall ReadChat(ChatRequest body, string requestId)
    {
        NoGlobalRegion(body.AllowGlobalRegion);
        if (body.Messages is not { Count: > 0 } messages)
        {
            throw new ValidationException("messages", "messages is required and must hold at least one message.");
        }

        var read = new List<ChatMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var field = $"messages[{i}]";
            var message = messages[i] ?? throw new ValidationException(field, $"{field} must be an object with role and content.");
            if (message.Role is not ("system" or "user" or "assistant"))
            {
                throw new ValidationException($"{field}.role", $"{field}.role must be system, user or assistant.");
            }

            if (string.IsNullOrWhiteSpace(message.Content))
            {
                throw new ValidationException($"{field}.content", $"{field}.content is required and must not be empty.");
            }

            read.Add(new ChatMessage(message.Role, Text(message.Content, $"{field}.content")));
        }

        return new ChatCall
        {
            Messages = read,
            Settings = Settings(body.Model, body.MaxTokens, 2048, 8192, body.Temperature, 0.7, body.TopP, requestId),
        };
    }

    public static RagCall ReadRag(RagRequest body, string requestId)
    {
        NoGlobalRegion(body.AllowGlobalRegion);
        var search = body.Search ?? new RagSearchRequest();
        if (search.Limit is < 1 or > RagMaxResults)
        {
            throw new ValidationException("search.limit", $"search.limit must be between 1 and {RagMaxResults}.");
        }

        SearchRequest asSearch = new()
        {
            Query = body.Query,
            Mode = search.Mode,
            Limit = search.Limit ?? 10,
            Filters = search.Filters,
            UserId = search.UserId,
            OrgId = search.OrgId,
            ClientId = search.ClientId,
            Scope = search.Scope,
            ContentTypes = search.ContentTypes,
            FolderId = search.FolderId,
            RootFolderId = search.RootFolderId,
            TypeName = search.TypeName,
            CreatedAfter = search.CreatedAfter,
            CreatedBefore = search.CreatedBefore,
            RequireComplete = search.RequireComplete,
        };
        return new RagCall
        {
            Search = SearchRequestReader.Read(asSearch),
            Instructions = OptionalText(body.Instructions, "instructions"),
            Settings = Settings(body.Model, body.MaxTokens, 1024, 4096, body.Temperature, 0.3, null, requestId),
        };
    }

    public static AskCall ReadAsk(Guid documentId, DocumentAskRequest body, string requestId)
    {
        NoGlobalRegion(body.AllowGlobalRegion);
        if (string.IsNullOrWhiteSpace(body.Prompt))
        {
            throw new ValidationException("prompt", "prompt is required and must not be empty.");
        }

        return new AskCall
        {
            DocumentId = documentId,
            Prompt = Text(body.Prompt, "prompt"),
            Instructions = OptionalText(body.Instructions, "instructions"),
            Settings = Settings(body.Model, body.MaxTokens, 2048, 8192, body.Temperature, 0.2, null, requestId),
        };
    }

    /// <summary>No account here has a signed global-processing waiver, so opting in is refused as the spec says (L10186).</summary>
    private static void NoGlobalRegion(bool? allowGlobalRegion)
    {
        if (allowGlobalRegion == true)
        {
            throw new ForbiddenException("allowGlobalRegion needs a signed global-processing waiver, and this account has none.");
        }
    }

    private static InferenceSettings Settings(
        string? model, int? maxTokens, int defaultMax, int ceiling, double? temperature, double defaultTemperature, double? topP, string requestId)
    {
        if (model is not null && string.IsNullOrWhiteSpace(model))
        {
            throw new ValidationException("model", "model must name one of the models GET /v1/models lists.");
        }

        if (maxTokens is < 1 || maxTokens > ceiling)
        {
            throw new ValidationException("maxTokens", $"maxTokens must be between 1 and {ceiling}.");
        }

        if (temperature is { } t && (double.IsNaN(t) || t < 0 || t > 1))
        {
            throw new ValidationException("temperature", "temperature must be between 0.0 and 1.0.");
        }

        if (topP is { } p && (double.IsNaN(p) || p <= 0 || p > 1))
        {
            throw new ValidationException("topP", "topP must be greater than 0 and at most 1.");
        }

        return new InferenceSettings
        {
            Model = model,
            MaxTokens = maxTokens ?? defaultMax,
            Temperature = temperature ?? defaultTemperature,
            TopP = topP,
            RequestId = requestId,
        };
    }

    private static string? OptionalText(string? value, string field) => value is null ? null : Text(value, field);

    private static string Text(string value, string field)
    {
        if (value.Length > MaxTextChars)
        {
            throw new TooLargeException($"{field} may be at most {MaxTextChars} characters.");
        }

        return value.Contains('\0', StringComparison.Ordinal)
            ? throw new ValidationException(field, $"{field} must not contain a NUL character.")
            : value;
    }
}
