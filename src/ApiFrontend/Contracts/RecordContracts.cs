using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>Spec RecordResponse (L8303). <c>created</c> appears only on create responses.</summary>
public sealed record RecordResponse
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Created { get; init; }

    public required string Id { get; init; }

    public required string TypeName { get; init; }

    public string? SchemaId { get; init; }

    public int? SchemaVersion { get; init; }

    public string? ExternalId { get; init; }

    public required JsonElement Payload { get; init; }

    public required string Status { get; init; }

    public string? FolderId { get; init; }

    public string? UserId { get; init; }

    /// <summary>0.40: the whole ownership declaration (always present; [] = none).</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>0.31: the <c>org:</c> scope's value, when it is a UUID.</summary>
    public string? OrgId { get; init; }

    /// <summary>0.31: the <c>client:</c> scope's value, when it is a UUID.</summary>
    public string? ClientId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExpiresAt { get; init; }

    /// <summary>0.40: present only while indexStatus is FAILED.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IndexFailure? IndexFailure { get; init; }

    /// <summary>0.40: true when a list or lookup returned the projection rather than the whole payload.</summary>
    public bool PayloadPartial { get; init; }

    /// <summary>Absent for indexMode NONE (the spec: null for a store-only record).</summary>
    public string? IndexStatus { get; init; }

    public required string IndexMode { get; init; }

    public required string CreatedBy { get; init; }

    public required string CreatedAt { get; init; }

    public required string UpdatedAt { get; init; }

    public required long Version { get; init; }

    public static RecordResponse From(RecordView view, bool? created = null) => new()
    {
        Created = created,
        Id = view.Id.ToString(),
        TypeName = view.TypeName,
        SchemaId = view.SchemaId?.ToString(),
        SchemaVersion = view.SchemaVersion,
        ExternalId = view.ExternalId,
        Payload = view.Payload,
        Status = view.Status,
        FolderId = view.FolderId?.ToString(),
        UserId = view.UserId?.ToString(),
        Scopes = view.Scopes,
        OrgId = OwnershipScopes.LegacyId(view.Scopes, OwnershipScopes.Org)?.ToString(),
        ClientId = OwnershipScopes.LegacyId(view.Scopes, OwnershipScopes.Client)?.ToString(),
        ExpiresAt = view.ExpiresAt is { } expires ? Timestamps.Format(expires) : null,
        IndexFailure = view.IndexFailure,
        PayloadPartial = view.PayloadPartial,
        IndexStatus = view.IndexStatus,
        IndexMode = view.IndexMode,
        CreatedBy = view.CreatedBy,
        CreatedAt = Timestamps.Format(view.CreatedAt),
        UpdatedAt = Timestamps.Format(view.UpdatedAt),
        Version = view.Version,
    };

    /// <summary>A page in the spec's envelope (RecordPage, RecordLookupResponse).</summary>
    public static PageResponse<RecordResponse> Page(RecordPage page) => new(page.Data.Select(v => From(v)).ToList(), page.NextCursor);
}

/// <summary>
/// Spec RecordLookupRequest (L8745): exactly one of value, from+to, prefix; plus the 0.40 <c>values</c> (a composite's
/// values, excluding <c>value</c>) and the <c>sortFrom</c>/<c>sortTo</c> window (API-DELTA §4).
/// </summary>
public sealed record RecordLookupRequest(
    string? Type,
    string? Field,
    string? Value,
    string? From,
    string? To,
    string? Prefix,
    string? StartFrom,
    int? Limit,
    string? Order,
    bool? IncludePayload,
    IReadOnlyList<string?>? Values = null,
    JsonElement? SortFrom = null,
    JsonElement? SortTo = null,
    string? UserId = null,
    string? Scope = null)
{
    /// <summary>
    /// A window bound: clients send strings, even for epoch milliseconds (API-DELTA §13); a JSON number is taken as
    /// its text, since a bound in milliseconds is a number in all but form.
    /// </summary>
    public static string? Bound(JsonElement? bound, string name) => bound switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } b => b.GetString(),
        { ValueKind: JsonValueKind.Number } b => b.GetRawText(),
        _ => throw new ValidationException(name, $"Invalid value for '{name}': expected a string."),
    };
}

/// <summary>
/// Reads a RecordRequest body (L8630) member by member, so that the three verbs can differ where the spec says
/// they do: on create a null is absent; on PUT a null keeps the stored value; on PATCH a null or an immutable
/// member is a 400. Messages name the member and never quote a value.
/// </summary>
public static class RecordRequestReader
{
    public enum Verb
    {
        Create,
        Put,
        Patch,
    }

    private static readonly string[] _indexModes = ["HYBRID", "SEMANTIC", "TEXT", "NONE"];
    private static readonly HashSet<string> _immutable = new(StringComparer.Ordinal) { "typeName", "schemaId", "externalId", "indexMode" };

    public static RecordWrite ReadWrite(JsonObject body, Verb verb)
    {
        // Ownership comes in one form per request: the 0.40 declaration, or the 0.31 fields that set one namespace each.
        OwnershipScopes.CheckOneForm(body["scopes"] is not null, body["orgId"] is not null || body["clientId"] is not null);

        var write = new RecordWrite();
        foreach (var (name, value) in body)
        {
            if (value is null)
            {
                if (verb == Verb.Patch)
                {
                    throw new ValidationException(name, $"{name} is null: clearing a top-level field is not supported; omit it to leave it unchanged.");
                }

                CheckKnown(name);
                continue;
            }

            if (verb == Verb.Patch && _immutable.Contains(name))
            {
                throw new ValidationException(name, $"{name} is immutable and cannot be sent on PATCH.");
            }

            write = name switch
            {
                "typeName" => write with { TypeName = String(name, value, RecordLimits.MaxTypeNameLength) },
                "schemaId" => write with { SchemaId = Uuid(name, value) },
                "payload" => write with { Payload = value as JsonObject ?? throw new ValidationException(name, "payload must be a JSON object.") },
                "status" => write with { Status = OneOf(name, value, [.. RecordLimits.Statuses]) },
                "scopes" => write with { Scopes = OwnershipScopes.Read(value) },
                "expiresAt" => write with { ExpiresAt = Timestamp(name, value) },
                "folderId" => write with { FolderId = Uuid(name, value) },
                "userId" => write with { UserId = Uuid(name, value) },
                "orgId" => write with { OrgId = Uuid(name, value) },
                "clientId" => write with { ClientId = Uuid(name, value) },
                "externalId" => write with { ExternalId = String(name, value, RecordLimits.MaxExternalIdLength) },
                "indexMode" => write with { IndexMode = OneOf(name, value, _indexModes) },
                "expectedVersion" => write with { ExpectedVersion = Integer(name, value) },
                _ => throw Unknown(name),
            };
        }

        return write;
    }

    public static RecordPatch ReadPatch(JsonObject body)
    {
        var write = ReadWrite(body, Verb.Patch);
        return new RecordPatch
        {
            Payload = write.Payload,
            Status = write.Status,
            FolderId = write.FolderId,
            UserId = write.UserId,
            OrgId = write.OrgId,
            ClientId = write.ClientId,
            ExpectedVersion = write.ExpectedVersion,
            Scopes = write.Scopes,
            ExpiresAt = write.ExpiresAt,
        };
    }

    private static void CheckKnown(string name)
    {
        if (name is not ("typeName" or "schemaId" or "payload" or "status" or "folderId" or "userId" or "orgId" or "clientId"
            or "externalId" or "indexMode" or "expectedVersion" or "scopes" or "expiresAt"))
        {
            throw Unknown(name);
        }
    }

    private static ValidationException Unknown(string name) => RequestMembers.Unknown(name);

    private static string String(string name, JsonNode value, int maxLength) => RequestMembers.String(name, value, maxLength);

    private static Guid Uuid(string name, JsonNode value) => RequestMembers.Uuid(name, value);

    private static string OneOf(string name, JsonNode value, string[] allowed) => RequestMembers.OneOf(name, value, allowed);

    private static DateTimeOffset Timestamp(string name, JsonNode value) => RequestMembers.Timestamp(name, value);

    private static long Integer(string name, JsonNode value) => RequestMembers.Integer(name, value);
}
