using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Records;
using Vectros.Grains.Security;
using Vectros.Grains.History;

namespace Vectros.Grains.Documents;

/// <summary>Turns stored document rows into what callers, history rows and tombstones may see (the record rules).</summary>
internal static class DocumentViews
{
    /// <summary>The <c>entity_versions.entity_kind</c> of documents.</summary>
    public const string KindDocument = "document";

    /// <summary>For callers without the reveal grant: sensitive values are <c>[redacted]</c>.</summary>
    public static DocumentView Masked(DocumentRow row, SensitiveFields sensitive) =>
        View(row, StoredPayload.Masked(row.StoredPayload, sensitive));

    /// <summary>For a caller holding <c>documents:s:&lt;type&gt;</c>: sensitive values decrypted.</summary>
    public static DocumentView Revealed(DocumentRow row, SensitiveFields sensitive, TenantKeys keys, string tenantId, string contextId) =>
        View(row, JsonSerializer.SerializeToElement(Plaintext(row, sensitive, keys, tenantId, contextId)));

    public static JsonObject Plaintext(DocumentRow row, SensitiveFields sensitive, TenantKeys? keys, string tenantId, string contextId) =>
        StoredPayload.Plaintext(row.StoredPayload, sensitive, keys, (tenantId, contextId, KindDocument, row.Id), row.TypeName);

    /// <summary>
    /// The document's state for a history row or a tombstone, in the DocumentResponse shape: the payload already
    /// stripped of sensitive members, and never the text or the file (which a hard delete destroys).
    /// </summary>
    public static JsonObject Snapshot(DocumentRow row, JsonObject strippedPayload) => SnapshotJson.WithoutNulls(new JsonObject
    {
        ["id"] = row.Id.ToString(),
        ["title"] = row.Title,
        ["typeName"] = row.TypeName,
        ["schemaId"] = row.SchemaId?.ToString(),
        ["schemaVersion"] = row.SchemaVersion,
        ["externalId"] = row.ExternalId,
        ["payload"] = strippedPayload.DeepClone(),
        ["status"] = row.Status,
        ["indexMode"] = row.IndexMode,
        ["indexStatus"] = row.IndexStatus,
        ["folderId"] = row.FolderId?.ToString(),
        ["userId"] = row.UserId?.ToString(),
        ["scopes"] = Scopes(row.Scopes),
        ["orgId"] = OwnershipScopes.LegacyId(row.Scopes, OwnershipScopes.Org)?.ToString(),
        ["clientId"] = OwnershipScopes.LegacyId(row.Scopes, OwnershipScopes.Client)?.ToString(),
        ["storeText"] = row.StoreText,
        ["textBytes"] = row.TextBytes,
        ["fileName"] = row.FileName,
        ["fileType"] = row.FileType,
        ["fileSize"] = row.FileSize,
        ["createdBy"] = row.CreatedBy,
        ["createdAt"] = SnapshotJson.Timestamp(row.CreatedAt),
        ["lastModified"] = SnapshotJson.Timestamp(row.UpdatedAt),
        ["version"] = row.Version,
    });

    /// <summary>
    /// The flat shape diffed between versions: the mutable top-level members, the content version (a re-ingest shows
    /// as a change without the text itself), and one <c>payload.&lt;name&gt;</c> entry per top-level payload member.
    /// </summary>
    public static JsonObject DiffShape(DocumentRow row, JsonObject strippedPayload)
    {
        var shape = new JsonObject
        {
            ["title"] = row.Title,
            ["status"] = row.Status,
            ["folderId"] = row.FolderId?.ToString(),
            ["userId"] = row.UserId?.ToString(),
            ["scopes"] = Scopes(row.Scopes),
            ["schemaId"] = row.SchemaId?.ToString(),
            ["schemaVersion"] = row.SchemaVersion,
            ["textBytes"] = row.TextBytes,
            ["fileType"] = row.FileType,
            ["fileSize"] = row.FileSize,
            ["contentVersion"] = row.ContentVersion,
        };
        foreach (var (name, value) in strippedPayload)
        {
            shape["payload." + name] = value?.DeepClone();
        }

        return SnapshotJson.WithoutNulls(shape);
    }

    private static DocumentView View(DocumentRow row, JsonElement payload) => new()
    {
        Id = row.Id,
        Title = row.Title,
        TypeName = row.TypeName,
        SchemaId = row.SchemaId,
        SchemaVersion = row.SchemaVersion,
        ExternalId = row.ExternalId,
        Payload = payload,
        Status = row.Status,
        IndexMode = row.IndexMode,
        IndexStatus = row.IndexStatus,
        IndexFailure = row.IndexStatus == "FAILED" && row.IndexFailure is { } failure ? ParseFailure(failure) : null,
        FolderId = row.FolderId,
        UserId = row.UserId,
        Scopes = row.Scopes,
        Source = row.Source,
        StoreText = row.StoreText,
        TextBytes = row.TextBytes,
        FileName = row.FileName,
        FileType = row.FileType,
        FileSize = row.FileSize,
        CreatedBy = row.CreatedBy,
        CreatedAt = row.CreatedAt,
        UpdatedAt = row.UpdatedAt,
        Version = row.Version,
    };

    private static JsonArray Scopes(IReadOnlyList<string> scopes) => new([.. scopes.Select(s => (JsonNode?)JsonValue.Create(s))]);

    private static IndexFailure ParseFailure(string json)
    {
        var node = JsonNode.Parse(json);
        return new IndexFailure(node?["code"]?.GetValue<string>() ?? "INTERNAL", node?["message"]?.GetValue<string>() ?? "Indexing failed.");
    }
}
