using Npgsql;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Folders;
using Vectros.Grains.History;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Folders;

/// <summary>Why a delete did not happen (or that it did).</summary>
internal enum FolderDeleteOutcome
{
    Deleted,
    Missing,
    Protected,
    HasChildren,
    HasItems,
}

/// <summary>
/// SQL for the <c>folders</c> table. Every statement binds tenant and context first; writes are conditional on
/// <c>version</c> and carry their history row in the same transaction.
/// <para>
/// Creating a child and deleting its parent cannot interleave into an orphan: an insert holds <c>FOR KEY SHARE</c>
/// on the parent row until it commits, and a delete first takes <c>FOR UPDATE</c> on its own row (which waits for
/// those inserts) and only then, in a new statement and so a new snapshot, looks for children and items.
/// </para>
/// </summary>
internal sealed class FolderStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "folder_id, parent_id, name, description, slug, depth, is_protected, user_id, scopes, created_at, updated_at, version";

    // The UNIQUE NULLS NOT DISTINCT (tenant_id, context_id, parent_id, slug) constraint of migration 0003.
    private const string SiblingSlugConstraint = "folders_tenant_id_context_id_parent_id_slug_key";

    public async Task<FolderView?> LoadAsync(string tenantId, string contextId, Guid folderId)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {Columns} FROM folders WHERE tenant_id = $1 AND context_id = $2 AND folder_id = $3");
        Bind(cmd.Parameters, tenantId, contextId, folderId);
        return await ReadOneAsync(cmd);
    }

    /// <summary>The context root: the one folder without a parent.</summary>
    public async Task<FolderView?> FindRootAsync(string tenantId, string contextId)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {Columns} FROM folders WHERE tenant_id = $1 AND context_id = $2 AND parent_id IS NULL AND slug = $3");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = FolderRules.RootSlug });
        return await ReadOneAsync(cmd);
    }

    /// <summary>The child of <paramref name="parentId"/> with <paramref name="slug"/>: the idempotency key of create.</summary>
    public async Task<FolderView?> FindChildAsync(string tenantId, string contextId, Guid parentId, string slug)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {Columns} FROM folders WHERE tenant_id = $1 AND context_id = $2 AND parent_id = $3 AND slug = $4");
        Bind(cmd.Parameters, tenantId, contextId, parentId);
        cmd.Parameters.Add(new NpgsqlParameter { Value = slug });
        return await ReadOneAsync(cmd);
    }

    /// <summary>Up to <paramref name="take"/> folders after <paramref name="afterId"/>, in id (= creation, UUIDv7) order.</summary>
    public async Task<IReadOnlyList<FolderView>> ListAsync(string tenantId, string contextId, FolderListQuery query, Guid? afterId, int take)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM folders
            WHERE tenant_id = $1 AND context_id = $2
              AND ($3::uuid IS NULL OR parent_id = $3)
              AND ($4::uuid IS NULL OR user_id = $4)
              AND scopes @> $5::text[]
              AND $6::text IS NULL
              AND ($7::uuid IS NULL OR folder_id > $7)
            ORDER BY folder_id LIMIT $8
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(Uuid(query.ParentFolderId));
        cmd.Parameters.Add(Uuid(query.UserId));
        cmd.Parameters.Add(TextArray(query.Scopes));
        cmd.Parameters.Add(Text(null));
        cmd.Parameters.Add(Uuid(afterId));
        cmd.Parameters.Add(new NpgsqlParameter { Value = take });
        var list = new List<FolderView>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>
    /// Inserts a folder and its CREATE history row. Null when a sibling with the same slug exists (a concurrent
    /// create won the unique constraint); a parent that is not a folder of this context is a 400.
    /// </summary>
    public async Task<FolderView?> InsertAsync(
        string tenantId, string contextId, Guid folderId, NewFolder folder, string changedBy, DateTimeOffset at)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var depth = 0;
        if (folder.ParentFolderId is { } parentId)
        {
            await using var lockParent = new NpgsqlCommand(
                "SELECT depth FROM folders WHERE tenant_id = $1 AND context_id = $2 AND folder_id = $3 FOR KEY SHARE", conn, tx);
            Bind(lockParent.Parameters, tenantId, contextId, parentId);
            depth = await lockParent.ExecuteScalarAsync() is int parentDepth
                ? parentDepth + 1
                : throw new ValidationException("parentFolderId", "parentFolderId does not name a folder of this context.");
        }

        var view = new FolderView(
            folderId, folder.ParentFolderId, folder.Name, folder.Description, folder.Slug, depth, folder.IsProtected,
            folder.UserId, folder.Scopes, at, at, Version: 1);
        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO folders (tenant_id, context_id, folder_id, parent_id, name, slug, description, user_id, scopes,
                                 depth, is_protected, created_at, updated_at, version)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, 1)
            """);
        Bind(insert.Parameters, tenantId, contextId, folderId);
        insert.Parameters.Add(Uuid(view.ParentFolderId));
        insert.Parameters.Add(new NpgsqlParameter { Value = view.Name });
        insert.Parameters.Add(new NpgsqlParameter { Value = view.Slug });
        insert.Parameters.Add(Text(view.Description));
        insert.Parameters.Add(Uuid(view.UserId));
        insert.Parameters.Add(TextArray(view.Scopes));
        insert.Parameters.Add(new NpgsqlParameter { Value = view.Depth });
        insert.Parameters.Add(new NpgsqlParameter { Value = view.IsProtected });
        insert.Parameters.Add(new NpgsqlParameter { Value = at, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await RequireScopeTargetsAsync(conn, tx, tenantId, contextId, view.Scopes);
        await using var batch = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                insert,
                VersionHistory.AppendCommand(FolderHistory.Entry(tenantId, contextId, "CREATE", null, view, folder.ChangeReason, changedBy, at)),
            },
        };
        try
        {
            await batch.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
        catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: SiblingSlugConstraint })
        {
            return null;
        }

        return view;
    }

    /// <summary>
    /// Writes <paramref name="next"/> over <paramref name="current"/> with an UPDATE history row, if the row is
    /// still at <c>current.Version</c>. Null when it moved on (another activation wrote, or it was deleted).
    /// </summary>
    public async Task<FolderView?> UpdateAsync(
        string tenantId, string contextId, FolderView current, FolderView next, string changedBy, DateTimeOffset at)
    {
        var written = next with { LastModified = at, Version = current.Version + 1 };
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var update = new NpgsqlBatchCommand(
            """
            UPDATE folders SET name = $4, description = $5, user_id = $6, scopes = $7, updated_at = $8,
                               version = version + 1
            WHERE tenant_id = $1 AND context_id = $2 AND folder_id = $3 AND version = $9
            """);
        Bind(update.Parameters, tenantId, contextId, current.Id);
        update.Parameters.Add(new NpgsqlParameter { Value = written.Name });
        update.Parameters.Add(Text(written.Description));
        update.Parameters.Add(Uuid(written.UserId));
        update.Parameters.Add(TextArray(written.Scopes));
        update.Parameters.Add(new NpgsqlParameter { Value = at, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        update.Parameters.Add(new NpgsqlParameter { Value = current.Version });
        // Only entries that change are checked: an entity deleted since keeps naming the folders that carried it.
        await RequireScopeTargetsAsync(conn, tx, tenantId, contextId, [.. written.Scopes.Except(current.Scopes, StringComparer.Ordinal)]);
        await using var batch = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                update,
                VersionHistory.AppendCommand(FolderHistory.Entry(tenantId, contextId, "UPDATE", current, written, null, changedBy, at)),
            },
        };
        await batch.ExecuteNonQueryAsync();

        // One round trip for both statements: when the conditional UPDATE matched nothing, the history row that
        // went with it is rolled back (disposing the transaction) instead of being committed.
        if (batch.BatchCommands[0].RecordsAffected != 1)
        {
            return null;
        }

        await tx.CommitAsync();
        return written;
    }

    /// <summary>Deletes an empty, unprotected folder with a DELETE history row holding its last state.</summary>
    public async Task<FolderDeleteOutcome> DeleteAsync(string tenantId, string contextId, Guid folderId, string changedBy, DateTimeOffset at)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        FolderView? current;
        bool hasChildren, hasItems;
        var lockRow = new NpgsqlBatchCommand(
            $"SELECT {Columns} FROM folders WHERE tenant_id = $1 AND context_id = $2 AND folder_id = $3 FOR UPDATE");
        Bind(lockRow.Parameters, tenantId, contextId, folderId);

        // A separate statement after the lock, so its snapshot includes children committed while we waited for it.
        // Items are records and documents.
        var contents = new NpgsqlBatchCommand(
            """
            SELECT EXISTS (SELECT 1 FROM folders WHERE tenant_id = $1 AND context_id = $2 AND parent_id = $3),
                   EXISTS (SELECT 1 FROM records WHERE tenant_id = $1 AND context_id = $2 AND folder_id = $3)
                   OR EXISTS (SELECT 1 FROM documents WHERE tenant_id = $1 AND context_id = $2 AND folder_id = $3)
            """);
        Bind(contents.Parameters, tenantId, contextId, folderId);
        await using (var check = new NpgsqlBatch(conn, tx) { BatchCommands = { lockRow, contents } })
        await using (var reader = await check.ExecuteReaderAsync())
        {
            current = await reader.ReadAsync() ? Read(reader) : null;
            await reader.NextResultAsync();
            await reader.ReadAsync();
            (hasChildren, hasItems) = (reader.GetBoolean(0), reader.GetBoolean(1));
        }

        if (current is null)
        {
            return FolderDeleteOutcome.Missing;
        }

        if (current.IsProtected)
        {
            return FolderDeleteOutcome.Protected;
        }

        if (hasChildren || hasItems)
        {
            return hasChildren ? FolderDeleteOutcome.HasChildren : FolderDeleteOutcome.HasItems;
        }

        var delete = new NpgsqlBatchCommand("DELETE FROM folders WHERE tenant_id = $1 AND context_id = $2 AND folder_id = $3");
        Bind(delete.Parameters, tenantId, contextId, folderId);
        await using var batch = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                delete,
                VersionHistory.AppendCommand(FolderHistory.Entry(tenantId, contextId, "DELETE", current, null, null, changedBy, at)),
            },
        };
        await batch.ExecuteNonQueryAsync();
        await tx.CommitAsync();
        return FolderDeleteOutcome.Deleted;
    }

    private static async Task<FolderView?> ReadOneAsync(NpgsqlCommand cmd)
    {
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>Each scope in an entity-backed namespace must name an existing entity (0.40 §2 "Parent check").</summary>
    private static async Task RequireScopeTargetsAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, string tenantId, string contextId, IReadOnlyList<string> scopes)
    {
        if (scopes.Count == 0)
        {
            return;
        }

        await using var check = new NpgsqlCommand("SELECT vectros_scope_target_missing($1, $2, $3)", conn, tx);
        check.Parameters.Add(Text(tenantId));
        check.Parameters.Add(Text(contextId));
        check.Parameters.Add(TextArray(scopes));
        if (await check.ExecuteScalarAsync() is string)
        {
            throw new ValidationException("scopes", "scopes: each entry in an entity-backed namespace must name an existing entity of that namespace.");
        }
    }

    private static FolderView Read(NpgsqlDataReader r) => new(
        Id: r.GetGuid(0),
        ParentFolderId: r.IsDBNull(1) ? null : r.GetGuid(1),
        Name: r.GetString(2),
        Description: r.IsDBNull(3) ? null : r.GetString(3),
        Slug: r.GetString(4),
        Depth: r.GetInt32(5),
        IsProtected: r.GetBoolean(6),
        UserId: r.IsDBNull(7) ? null : r.GetGuid(7),
        Scopes: r.GetFieldValue<string[]>(8),
        CreatedAt: r.GetFieldValue<DateTimeOffset>(9),
        LastModified: r.GetFieldValue<DateTimeOffset>(10),
        Version: r.GetInt64(11));

    private static void Bind(NpgsqlParameterCollection parameters, string tenantId, string contextId, Guid folderId)
    {
        parameters.Add(new NpgsqlParameter { Value = tenantId });
        parameters.Add(new NpgsqlParameter { Value = contextId });
        parameters.Add(new NpgsqlParameter { Value = folderId });
    }
}
