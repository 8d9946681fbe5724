using Npgsql;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Identity;

/// <summary>Reads of the <c>entities</c> table; every statement binds the tenant and the home. Writes go through <see cref="EntityWriteBatch"/>.</summary>
internal sealed class EntityStore(NpgsqlDataSource dataSource)
{
    /// <summary>The columns <see cref="Read"/> expects, in order.</summary>
    public const string Columns =
        "entity_id, namespace, external_id, name, status, payload::text, schema_id, schema_version, schema_context_id, type_name, " +
        "scopes, user_id, created_by, created_at, updated_at, version";

    private const int ColumnCount = 16;

    /// <summary><see cref="Columns"/> qualified with a table alias, for joins.</summary>
    public static string ColumnsOf(string alias) =>
        string.Join(", ", Columns.Split(", ").Select(c => $"{alias}.{c}"));

    public async Task<EntityRow?> LoadAsync(string tenantId, string home, Guid id)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {Columns} FROM entities WHERE tenant_id = $1 AND context_id = $2 AND entity_id = $3");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(home));
        cmd.Parameters.Add(Uuid(id));
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    public async Task<Guid?> FindByExternalIdAsync(string tenantId, string home, string ns, string externalId)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT entity_id FROM entities WHERE tenant_id = $1 AND context_id = $2 AND namespace = $3 AND external_id = $4");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(home));
        cmd.Parameters.Add(Text(ns));
        cmd.Parameters.Add(Text(externalId));
        return await cmd.ExecuteScalarAsync() is Guid id ? id : null;
    }

    /// <summary>Runs a query selecting <see cref="Columns"/>, optionally followed by one text column (the row's sort key, for cursors).</summary>
    public async Task<List<(EntityRow Row, string? Sort)>> QueryAsync(string sql, IEnumerable<NpgsqlParameter> parameters)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddRange(parameters.ToArray());
        var rows = new List<(EntityRow, string?)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        var hasSort = reader.FieldCount > ColumnCount;
        while (await reader.ReadAsync())
        {
            rows.Add((Read(reader), hasSort && !reader.IsDBNull(ColumnCount) ? reader.GetString(ColumnCount) : null));
        }

        return rows;
    }

    /// <summary>A row in <see cref="Columns"/> order, starting at column 0.</summary>
    public static EntityRow Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        Namespace = r.GetString(1),
        ExternalId = r.GetString(2),
        Name = r.IsDBNull(3) ? null : r.GetString(3),
        Status = r.GetString(4),
        StoredPayload = r.GetString(5),
        SchemaId = r.IsDBNull(6) ? null : r.GetGuid(6),
        SchemaVersion = r.IsDBNull(7) ? null : r.GetInt32(7),
        SchemaContextId = r.IsDBNull(8) ? null : r.GetString(8),
        TypeName = r.IsDBNull(9) ? null : r.GetString(9),
        Scopes = r.GetFieldValue<string[]>(10),
        UserId = r.IsDBNull(11) ? null : r.GetGuid(11),
        CreatedBy = r.GetString(12),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(13),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(14),
        Version = r.GetInt64(15),
    };
}
