using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Identity;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// EntityRequest (API-DELTA-0.40 §8.3) for POST and PUT. On PUT a null keeps the stored value; <c>payload</c> and
/// <c>scopes</c>, when given, replace the stored ones whole.
/// </summary>
public sealed record EntityRequest(
    string? ExternalId,
    string? Name,
    string? Status,
    JsonObject? Payload,
    string? SchemaId,
    IReadOnlyList<string>? Scopes)
{
    public EntityWrite ToWrite(bool create) => EntityFields.Write(ExternalId, Name, Status, Payload, SchemaId, Scopes, create);
}

/// <summary>EntityResponse (§8.3). <c>created</c> appears only on create responses.</summary>
public sealed record EntityResponse
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Created { get; init; }

    public required string Id { get; init; }

    public required string Namespace { get; init; }

    public required string ExternalId { get; init; }

    public string? Name { get; init; }

    public required string Status { get; init; }

    public required JsonElement Payload { get; init; }

    public string? SchemaId { get; init; }

    public int? SchemaVersion { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public required string CreatedAt { get; init; }

    public static EntityResponse From(EntityView view, bool? created = null) => new()
    {
        Created = created,
        Id = view.Id.ToString(),
        Namespace = view.Namespace,
        ExternalId = view.ExternalId,
        Name = view.Name,
        Status = view.Status,
        Payload = view.Payload,
        SchemaId = view.SchemaId?.ToString(),
        SchemaVersion = view.SchemaVersion,
        Scopes = view.Scopes,
        CreatedAt = Timestamps.Format(view.CreatedAt),
    };

    public static PageResponse<EntityResponse> Page(EntityPage page) => new(page.Data.Select(v => From(v)).ToList(), page.NextCursor);
}

/// <summary>
/// IdentityLookupRequest (spec L6866, the body of <c>POST …/lookup</c> for entities, orgs and clients): exactly one
/// of value, from+to, prefix.
/// </summary>
public sealed record IdentityLookupRequest(
    string? Type,
    string? Field,
    string? Value,
    string? From,
    string? To,
    string? Prefix,
    string? StartFrom,
    int? Limit,
    string? Order)
{
    /// <summary>The grain query; <c>startFrom</c> is opened with <see cref="ListCursors"/> (the caller wraps <c>nextCursor</c>).</summary>
    public EntityListQuery ToQuery(HttpContext context)
    {
        if (Limit is < 1 or > 100)
        {
            throw new ValidationException("limit", "limit must be an integer between 1 and 100.");
        }

        return new EntityListQuery
        {
            Type = string.IsNullOrEmpty(Type) ? throw new ValidationException("type", "type is required.") : Type,
            Field = string.IsNullOrEmpty(Field) ? throw new ValidationException("field", "field is required.") : Field,
            Value = Value,
            From = From,
            To = To,
            Prefix = Prefix,
            Order = Order,
            StartFrom = ListCursors.Unwrap(context, StartFrom, this with { StartFrom = null }),
            Limit = Limit ?? 20,
            FromBody = true,
        };
    }
}

/// <summary>Shape checks shared by the entity, org and client requests and queries; messages name the field.</summary>
public static class EntityFields
{
    public static EntityWrite Write(
        string? externalId, string? name, string? status, JsonObject? payload, string? schemaId, IReadOnlyList<string>? scopes, bool create)
    {
        if (create && externalId is null)
        {
            throw new ValidationException("externalId", "externalId is required.");
        }

        if (externalId is { Length: 0 or > EntityRules.MaxExternalIdLength })
        {
            throw new ValidationException("externalId", $"externalId must be 1-{EntityRules.MaxExternalIdLength} characters.");
        }

        if (name is { Length: > EntityRules.MaxNameLength })
        {
            throw new ValidationException("name", $"name must be at most {EntityRules.MaxNameLength} characters.");
        }

        if (status is not null && !EntityRules.Statuses.Contains(status, StringComparer.Ordinal))
        {
            throw new ValidationException("status", "status must be ACTIVE or SUSPENDED.");
        }

        return new EntityWrite
        {
            ExternalId = externalId,
            Name = name,
            Status = status,
            Payload = payload,
            SchemaId = schemaId is null ? null
                : Guid.TryParse(schemaId, out var id) ? id
                : throw new ValidationException("schemaId", "schemaId must be a schema id (UUID)."),
            Scopes = scopes,
        };
    }

    /// <summary>
    /// The list query string of <c>GET /v1/entities/{ns}</c> (and the 0.31 lists, which add their own filters).
    /// <c>startFrom</c> is opened with <see cref="ListCursors"/>: the caller wraps the page's <c>nextCursor</c>.
    /// </summary>
    public static EntityListQuery ListQuery(HttpRequest request, string? scope = null) => new()
    {
        UserId = Uuid(request, "userId"),
        ExternalId = QueryParams.Optional(request, "externalId", EntityRules.MaxExternalIdLength),
        Scope = scope ?? QueryParams.Optional(request, "scope", 200),
        Type = QueryParams.Optional(request, "type"),
        Field = QueryParams.Optional(request, "field"),

        // Lookup values may be long or sensitive: no cap beyond the URL's, and never quoted back.
        Value = Present(request, "value"),
        From = Present(request, "from"),
        To = Present(request, "to"),
        Prefix = Present(request, "prefix"),
        Order = QueryParams.Optional(request, "order"),
        StartFrom = ListCursors.Unwrap(request.HttpContext),
        Limit = QueryParams.Limit(request),
        FromBody = false,
    };

    public static Guid? Uuid(HttpRequest request, string name) =>
        QueryParams.Optional(request, name) is { } raw
            ? Guid.TryParse(raw, out var id) ? id : throw new ValidationException(name, $"{name} must be a UUID.")
            : null;

    private static string? Present(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) ? values.ToString() : null;
}
