using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.History;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.History;

/// <summary>
/// The version-history table shared by every audited entity kind (records, schemas, folders, …). Rows are
/// appended inside the writer's transaction (one batch, one round trip) and chained by hash in SQL, so the
/// digest is computed from exactly what PostgreSQL stored.
/// </summary>
public static class VersionHistory
{
    private const string AppendSql =
        """
        WITH appended AS (
            INSERT INTO entity_versions (tenant_id, context_id, entity_kind, entity_id, seq, version_id, change_type,
                previous_version, previous_content, changed_fields, change_reason, changed_by, created_at, prev_hash, hash)
            SELECT $1, $2, $3, $4, n.seq, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12, p.hash,
                   entity_version_hash(p.hash, $1, $2, $3, $4, n.seq, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12)
            FROM (SELECT 1) one
            LEFT JOIN LATERAL (
                SELECT seq, hash FROM entity_versions
                WHERE tenant_id = $1 AND context_id = $2 AND entity_kind = $3 AND entity_id = $4
                ORDER BY seq DESC LIMIT 1) p ON true
            CROSS JOIN LATERAL (SELECT coalesce(p.seq, 0) + 1 AS seq) n
            RETURNING tenant_id, context_id, entity_kind, entity_id, seq, hash)
        INSERT INTO entity_version_heads (tenant_id, context_id, entity_kind, entity_id, seq, hash)
        SELECT tenant_id, context_id, entity_kind, entity_id, seq, hash FROM appended
        ON CONFLICT (tenant_id, context_id, entity_kind, entity_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash
        """;

    /// <summary>A command appending <paramref name="entry"/>, for the caller's write batch.</summary>
    public static NpgsqlBatchCommand AppendCommand(VersionEntry entry)
    {
        var cmd = new NpgsqlBatchCommand(AppendSql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = entry.TenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = entry.ContextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = entry.EntityKind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = entry.EntityId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = entry.ChangeType });
        cmd.Parameters.Add(Long(entry.PreviousVersion));
        cmd.Parameters.Add(Text(entry.PreviousContent?.ToJsonString()));
        cmd.Parameters.Add(Text(entry.ChangedFields?.ToJsonString()));
        cmd.Parameters.Add(Text(entry.ChangeReason));
        cmd.Parameters.Add(new NpgsqlParameter { Value = entry.ChangedBy });
        cmd.Parameters.Add(Time(entry.At));
        return cmd;
    }

    /// <summary>History of one entity, newest first. The cursor is the last row's sequence number.</summary>
    public static async Task<VersionPage> ListAsync(
        NpgsqlDataSource dataSource, string tenantId, string contextId, string entityKind, string entityId, string? startFrom, int limit)
    {
        long? before = null;
        if (!string.IsNullOrEmpty(startFrom))
        {
            before = long.TryParse(startFrom, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) && seq > 0
                ? seq
                : throw new ValidationException("startFrom", "startFrom is not a valid cursor.");
        }

        await using var cmd = dataSource.CreateCommand(
            """
            SELECT seq, version_id, change_type, previous_content::text, previous_version, change_reason, changed_by,
                   created_at, changed_fields::text
            FROM entity_versions
            WHERE tenant_id = $1 AND context_id = $2 AND entity_kind = $3 AND entity_id = $4 AND ($5::bigint IS NULL OR seq < $5)
            ORDER BY seq DESC LIMIT $6
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = entityKind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = entityId });
        cmd.Parameters.Add(Long(before));
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit + 1 });
        var rows = new List<(long Seq, VersionView View)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), new VersionView(
                Id: reader.GetGuid(1),
                ChangeType: reader.GetString(2),
                PreviousContent: reader.IsDBNull(3) ? null : reader.GetString(3),
                PreviousVersion: reader.IsDBNull(4) ? null : reader.GetInt64(4),
                ChangeReason: reader.IsDBNull(5) ? null : reader.GetString(5),
                ChangedBy: reader.GetString(6),
                CreatedAt: reader.GetFieldValue<DateTimeOffset>(7),
                ChangedFields: reader.IsDBNull(8) ? null : ParseChanges(reader.GetString(8)))));
        }

        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? page[^1].Seq.ToString(CultureInfo.InvariantCulture) : null;
        return new VersionPage(page.Select(r => r.View).ToList(), next);
    }

    /// <summary>Whether the entity has any history rows (versions endpoints answer 404 for unknown entities).</summary>
    public static async Task<bool> ExistsAsync(NpgsqlDataSource dataSource, string tenantId, string contextId, string entityKind, string entityId)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM entity_versions WHERE tenant_id = $1 AND context_id = $2 AND entity_kind = $3 AND entity_id = $4)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = entityKind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = entityId });
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Re-derives every chain: each row's prev_hash must be its predecessor's hash, sequence numbers must be
    /// contiguous from 1, each hash must match the digest of the row as stored, and each chain must end at the
    /// head recorded with its last write (so removing the newest rows, or a whole chain, shows too). A row an erasure
    /// redacted (migration 0022) lost the content its hash covers: its links and place in the chain are still checked,
    /// its stored hash is taken as given.
    /// </summary>
    public static async Task<IReadOnlyList<ChainBreak>> VerifyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT tenant_id, context_id, entity_kind, entity_id, seq,
                   CASE WHEN seq <> coalesce(prior_seq, 0) + 1 THEN 'sequence gap before this row (a row was removed)'
                        WHEN prev_hash IS DISTINCT FROM prior_hash THEN 'prev_hash does not match the previous row'
                        ELSE 'hash does not match the row content (the row was edited)' END
            FROM (
                SELECT v.*, lag(hash) OVER w AS prior_hash, lag(seq) OVER w AS prior_seq
                FROM entity_versions v
                WINDOW w AS (PARTITION BY tenant_id, context_id, entity_kind, entity_id ORDER BY seq)) c
            WHERE seq <> coalesce(prior_seq, 0) + 1
               OR prev_hash IS DISTINCT FROM prior_hash
               OR (redacted_at IS NULL
                   AND hash <> entity_version_hash(prev_hash, tenant_id, context_id, entity_kind, entity_id, seq, change_type,
                                                   previous_version, previous_content, changed_fields, change_reason, changed_by, created_at))
            UNION ALL
            SELECT h.tenant_id, h.context_id, h.entity_kind, h.entity_id, h.seq,
                   CASE WHEN t.seq IS NULL THEN 'the chain is gone but its head remains (history was removed)'
                        ELSE 'the chain ends before its recorded head (its newest rows were removed)' END
            FROM entity_version_heads h
            LEFT JOIN LATERAL (
                SELECT seq, hash FROM entity_versions v
                WHERE v.tenant_id = h.tenant_id AND v.context_id = h.context_id AND v.entity_kind = h.entity_kind AND v.entity_id = h.entity_id
                ORDER BY seq DESC LIMIT 1) t ON true
            WHERE t.seq IS DISTINCT FROM h.seq OR t.hash IS DISTINCT FROM h.hash
            UNION ALL
            SELECT v.tenant_id, v.context_id, v.entity_kind, v.entity_id, max(v.seq), 'the chain has no recorded head'
            FROM entity_versions v
            WHERE NOT EXISTS (SELECT 1 FROM entity_version_heads h WHERE h.tenant_id = v.tenant_id AND h.context_id = v.context_id
                                AND h.entity_kind = v.entity_kind AND h.entity_id = v.entity_id)
            GROUP BY v.tenant_id, v.context_id, v.entity_kind, v.entity_id
            ORDER BY 1, 2, 3, 4, 5
            """);
        var breaks = new List<ChainBreak>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            breaks.Add(new ChainBreak(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetString(5)));
        }

        return breaks;
    }

    /// <summary>Number of history rows, for the verify report.</summary>
    public static async Task<long> CountAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT count(*) FROM entity_versions");
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    internal static ChangeSetView ParseChanges(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        var details = new Dictionary<string, ChangedFieldView>(StringComparer.Ordinal);
        foreach (var (name, value) in node["details"]?.AsObject() ?? [])
        {
            details[name] = new ChangedFieldView(name, value?["sourceVal"]?.DeepClone(), value?["targetVal"]?.DeepClone());
        }

        return new ChangeSetView(
            node["summary"]?.GetValue<string>() ?? "",
            node["fields"]?.AsArray().Select(f => f!.GetValue<string>()).ToList() ?? [],
            node["count"]?.GetValue<int>() ?? 0,
            details);
    }
}
