using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Vectros.Grains.Records;

/// <summary>
/// Reads of the <c>records</c> and <c>record_tombstones</c> tables. Every statement binds the tenant and the
/// context; writes go through <see cref="RecordWriteBatch"/>.
/// </summary>
internal sealed class RecordStore(NpgsqlDataSource dataSource)
{
    /// <summary>The columns <see cref="Read"/> expects, in order (prefix with an alias where a query joins).</summary>
    public const string Columns =
        "record_id, type_name, schema_id, schema_version, payload, status, folder_id, user_id, scopes, " +
        "external_id, index_mode, index_status, created_by, created_at, updated_at, version, expires_at, index_failure::text";

    /// <summary>How many columns <see cref="Columns"/> selects; a sort key may follow them.</summary>
    public const int ColumnCount = 18;

    public static string ColumnsOf(string alias) => string.Join(", ", Columns.Split(", ").Select(c => $"{alias}.{c}"));

    public async Task<RecordRow?> LoadAsync(string tenantId, string contextId, Guid recordId, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {Columns} FROM records WHERE tenant_id = $1 AND context_id = $2 AND record_id = $3");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = recordId });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<Guid?> FindByExternalIdAsync(string tenantId, string contextId, string typeName, string externalId)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT record_id FROM records WHERE tenant_id = $1 AND context_id = $2 AND type_name = $3 AND external_id = $4");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = typeName });
        cmd.Parameters.Add(new NpgsqlParameter { Value = externalId });
        return await cmd.ExecuteScalarAsync() is Guid id ? id : null;
    }

    public async Task<Tombstone?> LoadTombstoneAsync(string tenantId, string contextId, Guid recordId)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT type_name, snapshot::text, deleted_by, deleted_at FROM record_tombstones
            WHERE tenant_id = $1 AND context_id = $2 AND record_id = $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = recordId });
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new Tombstone(reader.GetString(0), JsonNode.Parse(reader.GetString(1))!.AsObject(), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3))
            : null;
    }

    /// <summary>A row in <see cref="Columns"/> order, starting at column 0.</summary>
    public static RecordRow Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        TypeName = r.GetString(1),
        SchemaId = r.IsDBNull(2) ? null : r.GetGuid(2),
        SchemaVersion = r.IsDBNull(3) ? null : r.GetInt32(3),
        StoredPayload = r.GetString(4),
        Status = r.GetString(5),
        FolderId = r.IsDBNull(6) ? null : r.GetGuid(6),
        UserId = r.IsDBNull(7) ? null : r.GetGuid(7),
        Scopes = r.GetFieldValue<string[]>(8),
        ExternalId = r.IsDBNull(9) ? null : r.GetString(9),
        IndexMode = r.IsDBNull(10) ? "NONE" : r.GetString(10),
        IndexStatus = r.IsDBNull(11) ? null : r.GetString(11),
        CreatedBy = r.GetString(12),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(13),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(14),
        Version = r.GetInt64(15),
        ExpiresAt = r.IsDBNull(16) ? null : r.GetFieldValue<DateTimeOffset>(16),
        IndexFailure = r.IsDBNull(17) ? null : r.GetString(17),
    };

    /// <summary>
    /// Runs a query whose select list is <see cref="Columns"/>, optionally followed by one text column (the
    /// row's sort key, for cursors), and reads every row.
    /// </summary>
    public async Task<List<(RecordRow Row, string? Sort)>> QueryAsync(string sql, IEnumerable<NpgsqlParameter> parameters, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddRange(parameters.ToArray());
        var rows = new List<(RecordRow, string?)>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var hasSort = reader.FieldCount > ColumnCount;
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((Read(reader), hasSort && !reader.IsDBNull(ColumnCount) ? reader.GetString(ColumnCount) : null));
        }

        return rows;
    }
}
