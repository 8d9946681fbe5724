using System.Text.Json;
using System.Text.Json.Serialization;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Records;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// Spec DocumentResponse (L6930) with the 0.40 members beside the 0.31 ones (DESIGN §5a). Where the two generations
/// cannot coexist 0.40 wins: <c>status</c> is the lifecycle (ACTIVE/ARCHIVED) and the processing state is
/// <c>indexStatus</c>. <c>created</c> appears only on create responses; <c>fileType</c>/<c>fileSize</c> only on files.
/// </summary>
public sealed record DocumentResponse
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Created { get; init; }

    public required string Id { get; init; }

    public required string Title { get; init; }

    public string? ExternalId { get; init; }

    /// <summary>0.40 lifecycle: ACTIVE | ARCHIVED.</summary>
    public required string Status { get; init; }

    /// <summary>0.40 processing state, in the spec's order: PENDING_UPLOAD … INDEXED | SKIPPED | STORED | FAILED.</summary>
    public required string IndexStatus { get; init; }

    /// <summary>0.40: present only while indexStatus is FAILED.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IndexFailure? IndexFailure { get; init; }

    public required string IndexMode { get; init; }

    public required bool StoreText { get; init; }

    public string? FolderId { get; init; }

    public required JsonElement Payload { get; init; }

    /// <summary>Payloads are always stored inline here (never externalized).</summary>
    public bool PayloadExternalized { get; init; }

    /// <summary>0.40: true when a list or lookup returned a projection; never, since nothing is externalized.</summary>
    public bool PayloadPartial { get; init; }

    public string? SchemaId { get; init; }

    /// <summary>The bound schema's type (what <c>type</c> names on a lookup); absent for a schemaless document.</summary>
    public string? TypeName { get; init; }

    public int? SchemaVersion { get; init; }

    public required long TextBytes { get; init; }

    public string? UserId { get; init; }

    /// <summary>0.31: the <c>org:</c> scope's value, when it is a UUID.</summary>
    public string? OrgId { get; init; }

    /// <summary>0.31: the <c>client:</c> scope's value, when it is a UUID.</summary>
    public string? ClientId { get; init; }

    /// <summary>0.40: the whole ownership declaration (always present; [] = none).</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    public string? FileType { get; init; }

    public long? FileSize { get; init; }

    public required string CreatedAt { get; init; }

    public required string LastModified { get; init; }

    public required long Version { get; init; }

    public static DocumentResponse From(DocumentView view, bool? created = null) => new()
    {
        Created = created,
        Id = view.Id.ToString(),
        Title = view.Title,
        ExternalId = view.ExternalId,
        Status = view.Status,
        IndexStatus = view.IndexStatus,
        IndexFailure = view.IndexFailure,
        IndexMode = view.IndexMode,
        StoreText = view.StoreText,
        FolderId = view.FolderId?.ToString(),
        Payload = view.Payload,
        PayloadExternalized = false,
        PayloadPartial = view.PayloadPartial,
        SchemaId = view.SchemaId?.ToString(),
        TypeName = view.TypeName,
        SchemaVersion = view.SchemaVersion,
        TextBytes = view.TextBytes,
        UserId = view.UserId?.ToString(),
        OrgId = OwnershipScopes.LegacyId(view.Scopes, OwnershipScopes.Org)?.ToString(),
        ClientId = OwnershipScopes.LegacyId(view.Scopes, OwnershipScopes.Client)?.ToString(),
        Scopes = view.Scopes,
        FileType = view.FileType,
        FileSize = view.FileSize,
        CreatedAt = Timestamps.Format(view.CreatedAt),
        LastModified = Timestamps.Format(view.UpdatedAt),
        Version = view.Version,
    };

    /// <summary>A page in the spec's envelope (DocumentPage, DocumentLookupPage).</summary>
    public static PageResponse<DocumentResponse> Page(DocumentPage page) => new(page.Data.Select(v => From(v)).ToList(), page.NextCursor);
}

/// <summary>Spec FileUploadResponse (L7317): the document id and the signed URL its bytes go to.</summary>
public sealed record FileUploadResponse(
    [property: JsonPropertyOrder(-1)] bool Created,
    string Id,
    string UploadUrl,
    string ExpiresAt,
    string? ExternalId);

/// <summary>Spec DocumentDownloadResponse (L7263): <c>expires</c> is epoch milliseconds.</summary>
public sealed record DocumentDownloadResponse(string Id, string DownloadUrl, long Expires, string FileType);

/// <summary>Spec DocumentTextResponse (L7286).</summary>
public sealed record DocumentTextResponse(string Id, string Text);

/// <summary>
/// Spec DocumentLookupRequest (L7199): exactly one of value, from+to, prefix; plus the 0.40 root-only selectors
/// <c>userId</c>/<c>scope</c> (CL 0.37). Document lookups are single-field: there is no <c>values</c> or window.
/// </summary>
public sealed record DocumentLookupRequest(
    string? Type,
    string? Field,
    string? Value,
    string? From,
    string? To,
    string? Prefix,
    string? StartFrom,
    int? Limit,
    string? Order,
    string? UserId = null,
    string? Scope = null);
