using Npgsql;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Identity;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Identity;

/// <summary>
/// The <c>namespaces</c> table. Every statement binds the tenant and the home (<see cref="NamespaceRules.TenantHome"/>
/// for tenant-wide rows). Changes that depend on a namespace having no entities lock the row first and look for
/// entities in a later statement of the same transaction, so an entity created concurrently (its write batch
/// holds a share lock on the row) is either seen or waited for.
/// </summary>
internal sealed class NamespaceStore(NpgsqlDataSource dataSource)
{
    public const string Columns =
        "namespace, context_id, specificity_rank, entity_backed, default_schema_id, membership_record_type, membership_target_field, " +
        "membership_context_id, membership_level_field, membership_levels, created_at, updated_at, version";

    private const string NameConstraint = "namespaces_pkey";
    private const string RankConstraint = "namespaces_rank";

    private const string EntitiesExistSql =
        "SELECT EXISTS (SELECT 1 FROM entities WHERE tenant_id = $1 AND context_id = $2 AND namespace = $3)";

    /// <summary>The first registration of <paramref name="ns"/> among <paramref name="homes"/>, a context's own before the tenant-wide one.</summary>
    public async Task<NamespaceView?> FindAsync(string tenantId, string ns, params string[] homes)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM namespaces
            WHERE tenant_id = $1 AND namespace = $2 AND context_id = ANY($3)
            ORDER BY context_id = '' LIMIT 1
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(ns));
        cmd.Parameters.Add(Of(homes, NpgsqlDbType.Array | NpgsqlDbType.Text));
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>Whether some app context owns a registration of <paramref name="ns"/>.</summary>
    public async Task<bool> IsOwnedByAnyContextAsync(string tenantId, string ns)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM namespaces WHERE tenant_id = $1 AND namespace = $2 AND context_id <> '')");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(ns));
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task<List<NamespaceView>> ListAsync(string tenantId, string home, string? afterName, int take)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM namespaces
            WHERE tenant_id = $1 AND context_id = $2 AND ($3::text IS NULL OR namespace COLLATE "C" > $3)
            ORDER BY namespace COLLATE "C" LIMIT $4
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(home));
        cmd.Parameters.Add(Text(afterName));
        cmd.Parameters.Add(Int(take));
        var rows = new List<NamespaceView>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    /// <summary>Inserts a registration; a name or rank already taken comes back as <see cref="NamespaceWriteOutcome"/>.</summary>
    public async Task<(NamespaceWriteOutcome Outcome, NamespaceView? View)> InsertAsync(string tenantId, NamespaceView view)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            INSERT INTO namespaces (tenant_id, context_id, namespace, specificity_rank, entity_backed, default_schema_id,
                membership_record_type, membership_target_field, membership_context_id, membership_level_field, membership_levels,
                created_at, updated_at, version)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, 1)
            RETURNING {Columns}
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(view.Home));
        cmd.Parameters.Add(Text(view.Namespace));
        AddFields(cmd.Parameters, view);
        cmd.Parameters.Add(Time(view.CreatedAt));
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (NamespaceWriteOutcome.Written, Read(reader));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return (ex.ConstraintName == RankConstraint ? NamespaceWriteOutcome.RankTaken : NamespaceWriteOutcome.NameTaken, null);
        }
    }

    /// <summary>
    /// Locks the registration, lets <paramref name="change"/> compute (and validate) the new state, and writes it.
    /// Turning <c>entityBacked</c> off is refused while the namespace has entities.
    /// </summary>
    public async Task<(NamespaceWriteOutcome Outcome, NamespaceView? View)> UpdateAsync(
        string tenantId, string home, string ns, Func<NamespaceView, Task<NamespaceView>> change, DateTimeOffset at)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var current = await LockAsync(conn, tx, tenantId, home, ns);
        if (current is null)
        {
            return (NamespaceWriteOutcome.Missing, null);
        }

        var next = await change(current);
        if (current.EntityBacked && !next.EntityBacked && await EntitiesExistAsync(conn, tx, tenantId, home, ns))
        {
            return (NamespaceWriteOutcome.InUse, null);
        }

        await using var cmd = new NpgsqlCommand(
            $"""
            UPDATE namespaces SET specificity_rank = $4, entity_backed = $5, default_schema_id = $6, membership_record_type = $7,
                membership_target_field = $8, membership_context_id = $9, membership_level_field = $10, membership_levels = $11,
                updated_at = $12, version = version + 1
            WHERE tenant_id = $1 AND context_id = $2 AND namespace = $3
            RETURNING {Columns}
            """, conn, tx);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(home));
        cmd.Parameters.Add(Text(ns));
        AddFields(cmd.Parameters, next);
        cmd.Parameters.Add(Time(at));
        NamespaceView written;
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            written = Read(reader);
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: RankConstraint })
        {
            return (NamespaceWriteOutcome.RankTaken, null);
        }

        await tx.CommitAsync();
        return (NamespaceWriteOutcome.Written, written);
    }

    /// <summary>Deletes the registration unless it has entities.</summary>
    public async Task<NamespaceWriteOutcome> DeleteAsync(string tenantId, string home, string ns)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        if (await LockAsync(conn, tx, tenantId, home, ns) is null)
        {
            return NamespaceWriteOutcome.Missing;
        }

        if (await EntitiesExistAsync(conn, tx, tenantId, home, ns))
        {
            return NamespaceWriteOutcome.InUse;
        }

        await using var cmd = new NpgsqlCommand("DELETE FROM namespaces WHERE tenant_id = $1 AND context_id = $2 AND namespace = $3", conn, tx);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(home));
        cmd.Parameters.Add(Text(ns));
        await cmd.ExecuteNonQueryAsync();
        await tx.CommitAsync();
        return NamespaceWriteOutcome.Written;
    }

    private static async Task<NamespaceView?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string tenantId, string home, string ns)
    {
        await using var cmd = new NpgsqlCommand(
            $"SELECT {Columns} FROM namespaces WHERE tenant_id = $1 AND context_id = $2 AND namespace = $3 FOR UPDATE", conn, tx);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(home));
        cmd.Parameters.Add(Text(ns));
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    // A statement of its own after the lock, so its snapshot includes entities committed while the lock was awaited.
    private static async Task<bool> EntitiesExistAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string tenantId, string home, string ns)
    {
        await using var cmd = new NpgsqlCommand(EntitiesExistSql, conn, tx);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(home));
        cmd.Parameters.Add(Text(ns));
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Parameters $4–$11: the settable fields.</summary>
    private static void AddFields(NpgsqlParameterCollection parameters, NamespaceView view)
    {
        parameters.Add(Int(view.SpecificityRank));
        parameters.Add(Bool(view.EntityBacked));
        parameters.Add(Uuid(view.DefaultSchemaId));
        parameters.Add(Text(view.MembershipRecordType));
        parameters.Add(Text(view.MembershipTargetField));
        parameters.Add(Text(view.MembershipContextId));
        parameters.Add(Text(view.MembershipLevelField));
        parameters.Add(Of(view.MembershipLevels?.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text));
    }

    private static NamespaceView Read(NpgsqlDataReader r) => new()
    {
        Namespace = r.GetString(0),
        ContextId = r.GetString(1) is { Length: > 0 } context ? context : null,
        SpecificityRank = r.GetInt32(2),
        EntityBacked = r.GetBoolean(3),
        DefaultSchemaId = r.IsDBNull(4) ? null : r.GetGuid(4),
        MembershipRecordType = r.IsDBNull(5) ? null : r.GetString(5),
        MembershipTargetField = r.IsDBNull(6) ? null : r.GetString(6),
        MembershipContextId = r.IsDBNull(7) ? null : r.GetString(7),
        MembershipLevelField = r.IsDBNull(8) ? null : r.GetString(8),
        MembershipLevels = r.IsDBNull(9) ? null : r.GetFieldValue<string[]>(9),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(10),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(11),
        Version = r.GetInt64(12),
    };
}

/// <summary>How a registration write ended when it did not simply succeed.</summary>
internal enum NamespaceWriteOutcome
{
    Written,
    Missing,
    NameTaken,
    RankTaken,
    InUse,
}
