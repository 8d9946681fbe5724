using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Folders;
using Vectros.Grains.Abstractions.History;
using Vectros.Grains.Abstractions.Identity;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Abstractions.Users;
using Vectros.Grains.Documents;
using Vectros.Grains.Folders;
using Vectros.Grains.History;
using Vectros.Grains.Identity;
using Vectros.Grains.Records;
using Vectros.Grains.Schemas;
using Vectros.Grains.Users;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Exports;

/// <summary>
/// One pass over what a plan exports, in keyset pages of <c>pageSize</c> rows (never a whole table in memory), each
/// row masked exactly as a root key's read is (sensitive values <c>[redacted]</c>: DESIGN §5a, a root key does not
/// reveal) and written as a line. Per context: schemas, folders, records, documents; then users and entities; with
/// <c>includeAuditHistory</c> the version rows. A subject export keeps the rows the subject owns (its user id, or its
/// <c>ns:value</c> among the scopes), shared or not, and the history of exactly those rows.
/// </summary>
internal sealed class ExportRun(
    NpgsqlDataSource dataSource,
    IGrainFactory grains,
    string tenantId,
    ExportPlan plan,
    NdjsonExportWriter writer,
    int pageSize,
    Func<Task> renewLease,
    CancellationToken ct)
{
    private readonly Guid? _user = plan.SubjectUserId;
    private readonly string? _scope = plan.SubjectScope;

    public async Task RunAsync(string exportId, string scope)
    {
        await writer.WriteAsync(ExportLineTypes.Header, null, null,
        [
            ("formatVersion", ExportLineTypes.FormatVersion), ("format", "ndjson"), ("exportJobId", exportId), ("scope", scope),
            ("subjectType", plan.SubjectType), ("subjectId", plan.SubjectId), ("contexts", plan.Contexts), ("includeAuditHistory", plan.IncludeAuditHistory),
        ], ct);
        foreach (var contextId in plan.Contexts)
        {
            if (!plan.IsSubject)
            {
                await SchemasAsync(contextId);
            }

            await FoldersAsync(contextId);
            await RecordsAsync(contextId);
            await DocumentsAsync(contextId);
            if (plan.IncludeAuditHistory && !plan.IsSubject)
            {
                await ContextHistoryAsync(contextId);
            }
        }

        if (plan.SubjectScope is null)
        {
            await UsersAsync();
        }

        await EntitiesAsync();
        if (plan.IncludeAuditHistory && !plan.IsSubject)
        {
            // Account-wide rows (users, tenant-wide entities) keep their history in the tenant home.
            await ContextHistoryAsync(UserRules.TenantHome);
        }
    }

    private async Task SchemasAsync(string contextId)
    {
        var store = new SchemaStore(dataSource);
        (string, Guid)? after = null;
        while (true)
        {
            var page = await store.ListAsync(tenantId, contextId, null, null, [], after, pageSize);
            foreach (var schema in page)
            {
                await writer.WriteAsync(ExportLineTypes.Schema, "schema", schema, [("contextId", contextId)], ct);
            }

            if (!await NextPageAsync(page.Count))
            {
                return;
            }

            after = (page[^1].TypeName, page[^1].Id);
        }
    }

    private async Task FoldersAsync(string contextId)
    {
        var store = new FolderStore(dataSource);
        var query = new FolderListQuery(null, _user, _scope is null ? [] : [_scope], null, pageSize);
        Guid? after = null;
        while (true)
        {
            var page = await store.ListAsync(tenantId, contextId, query, after, pageSize);
            foreach (var folder in page)
            {
                await writer.WriteAsync(ExportLineTypes.Folder, "folder", folder, [("contextId", contextId)], ct);
                await ItemHistoryAsync(contextId, FolderRules.EntityKind, folder.Id);
            }

            if (!await NextPageAsync(page.Count))
            {
                return;
            }

            after = page[^1].Id;
        }
    }

    private async Task RecordsAsync(string contextId)
    {
        var store = new RecordStore(dataSource);
        var schemas = new Dictionary<string, SchemaView?>(StringComparer.Ordinal);
        Guid? after = null;
        while (true)
        {
            var page = await store.QueryAsync(
                $"""
                SELECT {RecordStore.Columns} FROM records
                WHERE tenant_id = $1 AND context_id = $2 AND ($3::uuid IS NULL OR record_id > $3)
                  AND ($4::uuid IS NULL OR user_id = $4) AND ($5::text IS NULL OR scopes @> ARRAY[$5::text])
                ORDER BY record_id LIMIT $6
                """,
                [Text(tenantId), Text(contextId), Uuid(after), Uuid(_user), Text(_scope), Int(pageSize)]);
            foreach (var (row, _) in page)
            {
                var key = row.SchemaId?.ToString("D") ?? row.TypeName;
                if (!schemas.TryGetValue(key, out var schema))
                {
                    schema = await SchemaBinding.OfItemAsync(grains, AppContextKeys.Composite(tenantId, contextId), row.TypeName, row.SchemaId);
                    schemas[key] = schema;
                }

                await writer.WriteAsync(ExportLineTypes.Record, "record", RecordViews.Masked(row, SensitiveFields.Of(schema)), [("contextId", contextId)], ct);
                await ItemHistoryAsync(contextId, RecordViews.KindRecord, row.Id);
            }

            if (!await NextPageAsync(page.Count))
            {
                return;
            }

            after = page[^1].Row.Id;
        }
    }

    private async Task DocumentsAsync(string contextId)
    {
        var store = new DocumentStore(dataSource);
        var schemas = new Dictionary<string, SchemaView?>(StringComparer.Ordinal);
        Guid? after = null;
        while (true)
        {
            var page = await store.QueryAsync(
                $"""
                SELECT {DocumentStore.Columns} FROM documents
                WHERE tenant_id = $1 AND context_id = $2 AND ($3::uuid IS NULL OR document_id > $3)
                  AND ($4::uuid IS NULL OR user_id = $4) AND ($5::text IS NULL OR scopes @> ARRAY[$5::text])
                ORDER BY document_id LIMIT $6
                """,
                [Text(tenantId), Text(contextId), Uuid(after), Uuid(_user), Text(_scope), Int(pageSize)]);
            foreach (var (row, _) in page)
            {
                var sensitive = SensitiveFields.None;
                if (row.TypeName is not null)
                {
                    var key = row.SchemaId?.ToString("D") ?? row.TypeName;
                    if (!schemas.TryGetValue(key, out var schema))
                    {
                        schema = await SchemaBinding.OfItemAsync(grains, AppContextKeys.Composite(tenantId, contextId), row.TypeName, row.SchemaId);
                        schemas[key] = schema;
                    }

                    sensitive = SensitiveFields.Of(schema);
                }

                // The text rides along (one document's text at a time); file bytes stay in the blob store and are
                // fetched with GET /v1/documents/{id}/download, which the document's file metadata describes.
                var text = row.HasBody ? await store.LoadBodyAsync(tenantId, contextId, row.Id) : null;
                await writer.WriteAsync(ExportLineTypes.Document, "document", DocumentViews.Masked(row, sensitive), [("contextId", contextId), ("text", text)], ct);
                await ItemHistoryAsync(contextId, DocumentViews.KindDocument, row.Id);
            }

            if (!await NextPageAsync(page.Count))
            {
                return;
            }

            after = page[^1].Row.Id;
        }
    }

    private async Task UsersAsync()
    {
        var store = new UserStore(dataSource);
        var schemas = new Dictionary<(string?, string?), SchemaView?>();
        Guid? after = null;
        while (true)
        {
            var page = await store.QueryAsync(
                $"""
                SELECT {UserStore.Columns} FROM users
                WHERE tenant_id = $1 AND ($2::uuid IS NULL OR user_id > $2) AND ($3::uuid IS NULL OR user_id = $3)
                ORDER BY user_id LIMIT $4
                """,
                [Text(tenantId), Uuid(after), Uuid(_user), Int(pageSize)]);
            foreach (var (row, _) in page)
            {
                var key = (row.SchemaContextId, row.TypeName);
                if (!schemas.TryGetValue(key, out var schema))
                {
                    schema = await UserSchemas.OfAsync(grains, tenantId, row);
                    schemas[key] = schema;
                }

                await writer.WriteAsync(ExportLineTypes.User, "user", UserViews.Masked(row, SensitiveFields.Of(schema)), [], ct);
                await ItemHistoryAsync(UserRules.TenantHome, UserRules.HistoryKind, row.Id);
            }

            if (!await NextPageAsync(page.Count))
            {
                return;
            }

            after = page[^1].Row.Id;
        }
    }

    /// <summary>Entities homed in the exported contexts or tenant-wide; for a subject, the ones it owns and the subject entity itself.</summary>
    private async Task EntitiesAsync()
    {
        var store = new EntityStore(dataSource);
        var schemas = new Dictionary<(string?, string?), SchemaView?>();
        string[] homes = [.. plan.Contexts, NamespaceRules.TenantHome];
        Guid? self = plan.SubjectNamespace is not null && Guid.TryParse(plan.SubjectId, out var id) ? id : null;
        (string Home, Guid Id)? after = null;
        while (true)
        {
            // The home rides as the sort column, which the store reads back beside each row.
            var page = await store.QueryAsync(
                $"""
                SELECT {EntityStore.Columns}, context_id FROM entities
                WHERE tenant_id = $1 AND context_id = ANY($2) AND ($3::text IS NULL OR (context_id, entity_id) > ($3, $4))
                  AND ($5::uuid IS NULL OR user_id = $5)
                  AND ($6::text IS NULL OR scopes @> ARRAY[$6::text] OR (namespace = $7 AND entity_id = $8))
                ORDER BY context_id, entity_id LIMIT $9
                """,
                [
                    Text(tenantId), TextArray(homes), Text(after?.Home), Uuid(after?.Id), Uuid(_user), Text(_scope),
                    Text(plan.SubjectNamespace), Uuid(self), Int(pageSize),
                ]);
            foreach (var (row, home) in page)
            {
                var key = (row.SchemaContextId, row.TypeName);
                if (!schemas.TryGetValue(key, out var schema))
                {
                    schema = await EntitySchemas.OfAsync(grains, tenantId, row);
                    schemas[key] = schema;
                }

                await writer.WriteAsync(ExportLineTypes.Entity, "entity", EntityViews.Masked(row, SensitiveFields.Of(schema)),
                    [("contextId", string.IsNullOrEmpty(home) ? null : home), ("namespace", row.Namespace)], ct);
                await ItemHistoryAsync(home ?? "", NamespaceRules.EntityKind(row.Namespace), row.Id);
            }

            if (!await NextPageAsync(page.Count))
            {
                return;
            }

            after = (page[^1].Sort ?? "", page[^1].Row.Id);
        }
    }

    /// <summary>Every version row of a context (tenant exports), in chain order, paged by the table's key.</summary>
    private async Task ContextHistoryAsync(string contextId)
    {
        (string Kind, string Id, long Seq)? after = null;
        while (true)
        {
            var count = 0;
            await using (var cmd = dataSource.CreateCommand(
                $"""
                SELECT entity_kind, entity_id, seq, {VersionColumns} FROM entity_versions
                WHERE tenant_id = $1 AND context_id = $2 AND ($3::text IS NULL OR (entity_kind, entity_id, seq) > ($3, $4, $5))
                ORDER BY entity_kind, entity_id, seq LIMIT $6
                """))
            {
                cmd.Parameters.AddRange(new[] { Text(tenantId), Text(contextId), Text(after?.Kind), Text(after?.Id), Long(after?.Seq), Int(pageSize) });
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    count++;
                    after = (reader.GetString(0), reader.GetString(1), reader.GetInt64(2));
                    await WriteVersionAsync(contextId, after.Value.Kind, after.Value.Id, after.Value.Seq, ReadVersion(reader, 3));
                }
            }

            if (!await NextPageAsync(count))
            {
                return;
            }
        }
    }

    /// <summary>A subject export's history: the versions of one exported row, right after it (a row's chain is short).</summary>
    private async Task ItemHistoryAsync(string contextId, string kind, Guid id)
    {
        if (!plan.IncludeAuditHistory || !plan.IsSubject)
        {
            return;
        }

        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT seq, {VersionColumns} FROM entity_versions
            WHERE tenant_id = $1 AND context_id = $2 AND entity_kind = $3 AND entity_id = $4 ORDER BY seq
            """);
        cmd.Parameters.AddRange(new[] { Text(tenantId), Text(contextId), Text(kind), Text(id.ToString()) });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            await WriteVersionAsync(contextId, kind, id.ToString(), reader.GetInt64(0), ReadVersion(reader, 1));
        }
    }

    private const string VersionColumns =
        "version_id, change_type, previous_content::text, previous_version, change_reason, changed_by, created_at, changed_fields::text";

    private Task WriteVersionAsync(string contextId, string kind, string id, long seq, VersionView version) =>
        writer.WriteAsync(ExportLineTypes.Version, "version", version,
            [("contextId", contextId.Length == 0 ? null : contextId), ("entityKind", kind), ("entityId", id), ("seq", seq)], ct);

    /// <summary>A version row as the versions endpoints read it (<see cref="VersionHistory.ListAsync"/>), from column <paramref name="at"/>.</summary>
    private static VersionView ReadVersion(NpgsqlDataReader r, int at) => new(
        Id: r.GetGuid(at),
        ChangeType: r.GetString(at + 1),
        PreviousContent: r.IsDBNull(at + 2) ? null : r.GetString(at + 2),
        PreviousVersion: r.IsDBNull(at + 3) ? null : r.GetInt64(at + 3),
        ChangeReason: r.IsDBNull(at + 4) ? null : r.GetString(at + 4),
        ChangedBy: r.GetString(at + 5),
        CreatedAt: r.GetFieldValue<DateTimeOffset>(at + 6),
        ChangedFields: r.IsDBNull(at + 7) ? null : VersionHistory.ParseChanges(r.GetString(at + 7)));

    /// <summary>Renews the lease between pages and says whether a full page means there may be more.</summary>
    private async Task<bool> NextPageAsync(int count)
    {
        ct.ThrowIfCancellationRequested();
        await renewLease();
        return count >= pageSize;
    }
}
