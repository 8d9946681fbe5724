using Npgsql;
using NpgsqlTypes;

namespace Vectros.Runtime.Storage;

/// <summary>
/// SQL for the <c>grain_state</c> table (DESIGN §3 "State"). Every write is conditional on the
/// integer ETag; a condition that matches no row is reported as null/false, never as an exception,
/// so the caller can raise <see cref="InconsistentStateException"/>.
/// </summary>
internal sealed class GrainStateStore(NpgsqlDataSource dataSource)
{
    private const string ReadSql =
        "SELECT payload::text, etag FROM grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3";

    // ON CONFLICT DO NOTHING: a row we believed absent exists, i.e. someone else wrote first.
    private const string InsertSql =
        """
        INSERT INTO grain_state (grain_type, grain_key, state_name, payload, etag, updated_at)
        VALUES ($1, $2, $3, $4, 1, now())
        ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING
        RETURNING etag
        """;

    private const string UpdateSql =
        """
        UPDATE grain_state SET payload = $4, etag = etag + 1, updated_at = now()
        WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3 AND etag = $5
        RETURNING etag
        """;

    private const string DeleteSql =
        "DELETE FROM grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3 AND etag = $4";

    private const string ExistsSql =
        "SELECT EXISTS (SELECT 1 FROM grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3)";

    public async Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        await using var command = Command(ReadSql, grainId, stateName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StoredState(reader.GetString(0), reader.GetInt32(1))
            : null;
    }

    /// <summary>Inserts the first version; null when a row already exists.</summary>
    public async Task<int?> InsertAsync(GrainId grainId, string stateName, string payload, CancellationToken cancellationToken)
    {
        await using var command = Command(InsertSql, grainId, stateName);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = payload });
        return (int?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the next version; null when the stored ETag is not <paramref name="expectedEtag"/>.</summary>
    public async Task<int?> UpdateAsync(
        GrainId grainId, string stateName, string payload, int expectedEtag, CancellationToken cancellationToken)
    {
        await using var command = Command(UpdateSql, grainId, stateName);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = payload });
        command.Parameters.Add(new NpgsqlParameter { Value = expectedEtag });
        return (int?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the row; false when the stored ETag is not <paramref name="expectedEtag"/>.</summary>
    public async Task<bool> DeleteAsync(GrainId grainId, string stateName, int expectedEtag, CancellationToken cancellationToken)
    {
        await using var command = Command(DeleteSql, grainId, stateName);
        command.Parameters.Add(new NpgsqlParameter { Value = expectedEtag });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> ExistsAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        await using var command = Command(ExistsSql, grainId, stateName);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private NpgsqlCommand Command(string sql, GrainId grainId, string stateName)
    {
        var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = grainId.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = grainId.Key });
        command.Parameters.Add(new NpgsqlParameter { Value = stateName });
        return command;
    }
}
