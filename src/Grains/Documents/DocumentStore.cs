using System.Text.Json.Nodes;
using Npgsql;
using Vectros.Grains.Records;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Documents;

/// <summary>
/// Reads of the <c>documents</c>, <c>document_tombstones</c> and <c>upload_tickets</c> tables. Every statement binds
/// the tenant and the context (a ticket is found by its id and then checked against them); writes go through
/// <see cref="DocumentWriteBatch"/>.
/// </summary>
internal sealed class DocumentStore(NpgsqlDataSource dataSource)
{
    /// <summary>The columns <see cref="Read"/> expects, in order; the text itself is left out (it may be megabytes).</summary>
    public const string Columns =
        "document_id, title, type_name, schema_id, schema_version, payload, status, index_mode, index_status, index_failure::text, " +
        "folder_id, user_id, scopes, external_id, source, (body IS NOT NULL), text_bytes, store_text, file_name, file_type, " +
        "file_size, blob_key, content_version, created_by, created_at, updated_at, version";

    /// <summary>How many columns <see cref="Columns"/> selects; a sort key may follow them.</summary>
    public const int ColumnCount = 27;

    /// <summary>The tables a document lookup reads (<see cref="FieldLookupQuery"/>, <see cref="ExactLookupQuery"/>).</summary>
    public static readonly LookupSource Lookups = new("document_lookups", "documents", "document_id", ColumnsOf("r"));

    public static string ColumnsOf(string alias) =>
        string.Join(", ", Columns.Split(", ").Select(c => c.StartsWith('(') ? $"({alias}.{c[1..]}" : $"{alias}.{c}"));

    public async Task<DocumentRow?> LoadAsync(string tenantId, string contextId, Guid documentId)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {Columns} FROM documents WHERE tenant_id = $1 AND context_id = $2 AND document_id = $3");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Uuid(documentId));
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>The text, or null when the document has none (or is gone).</summary>
    public async Task<string?> LoadBodyAsync(string tenantId, string contextId, Guid documentId)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT body FROM documents WHERE tenant_id = $1 AND context_id = $2 AND document_id = $3");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Uuid(documentId));
        return await cmd.ExecuteScalarAsync() as string;
    }

    /// <summary>The document holding an externalId (unique within the context, whatever its type).</summary>
    public async Task<Guid?> FindByExternalIdAsync(string tenantId, string contextId, string externalId)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT document_id FROM documents WHERE tenant_id = $1 AND context_id = $2 AND external_id = $3");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Text(externalId));
        return await cmd.ExecuteScalarAsync() is Guid id ? id : null;
    }

    public async Task<DocumentTombstone?> LoadTombstoneAsync(string tenantId, string contextId, Guid documentId)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT snapshot::text, deleted_by, deleted_at FROM document_tombstones
            WHERE tenant_id = $1 AND context_id = $2 AND document_id = $3
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Uuid(documentId));
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new DocumentTombstone(JsonNode.Parse(reader.GetString(0))!.AsObject(), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }

    /// <summary>An upload ticket of this document, or null (another document's or another context's ticket is as absent).</summary>
    public async Task<TicketRow?> LoadTicketAsync(string tenantId, string contextId, Guid documentId, Guid ticketId)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT file_type, max_bytes, expires_at, used_at IS NOT NULL FROM upload_tickets
            WHERE ticket_id = $4 AND tenant_id = $1 AND context_id = $2 AND document_id = $3
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Uuid(documentId));
        cmd.Parameters.Add(Uuid(ticketId));
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new TicketRow(ticketId, reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetBoolean(3))
            : null;
    }

    /// <summary>A row in <see cref="Columns"/> order, starting at column 0.</summary>
    public static DocumentRow Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        Title = r.GetString(1),
        TypeName = r.IsDBNull(2) ? null : r.GetString(2),
        SchemaId = r.IsDBNull(3) ? null : r.GetGuid(3),
        SchemaVersion = r.IsDBNull(4) ? null : r.GetInt32(4),
        StoredPayload = r.GetString(5),
        Status = r.GetString(6),
        IndexMode = r.GetString(7),
        IndexStatus = r.GetString(8),
        IndexFailure = r.IsDBNull(9) ? null : r.GetString(9),
        FolderId = r.IsDBNull(10) ? null : r.GetGuid(10),
        UserId = r.IsDBNull(11) ? null : r.GetGuid(11),
        Scopes = r.GetFieldValue<string[]>(12),
        ExternalId = r.IsDBNull(13) ? null : r.GetString(13),
        Source = r.GetString(14),
        HasBody = r.GetBoolean(15),
        TextBytes = r.GetInt64(16),
        StoreText = r.GetBoolean(17),
        FileName = r.IsDBNull(18) ? null : r.GetString(18),
        FileType = r.IsDBNull(19) ? null : r.GetString(19),
        FileSize = r.IsDBNull(20) ? null : r.GetInt64(20),
        BlobKey = r.IsDBNull(21) ? null : r.GetString(21),
        ContentVersion = r.GetInt64(22),
        CreatedBy = r.GetString(23),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(24),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(25),
        Version = r.GetInt64(26),
    };

    /// <summary>Runs a query whose select list is <see cref="Columns"/>, optionally followed by one text column (a cursor position).</summary>
    public async Task<List<(DocumentRow Row, string? Sort)>> QueryAsync(string sql, IEnumerable<NpgsqlParameter> parameters)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddRange(parameters.ToArray());
        var rows = new List<(DocumentRow, string?)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        var hasSort = reader.FieldCount > ColumnCount;
        while (await reader.ReadAsync())
        {
            rows.Add((Read(reader), hasSort && !reader.IsDBNull(ColumnCount) ? reader.GetString(ColumnCount) : null));
        }

        return rows;
    }
}

/// <summary>What is left of a deleted document: its last state, sensitive values, text and bytes destroyed.</summary>
internal sealed record DocumentTombstone(JsonObject Snapshot, string DeletedBy, DateTimeOffset DeletedAt);

/// <summary>An <c>upload_tickets</c> row of one document.</summary>
internal sealed record TicketRow(Guid TicketId, string FileType, long MaxBytes, DateTimeOffset ExpiresAt, bool Used);
