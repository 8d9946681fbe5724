using Npgsql;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Webhooks;

namespace Vectros.Grains.Webhooks;

/// <summary>SQL of <c>webhook_registrations</c> (and the notices shown with a registration). Writes check <c>version</c>.</summary>
public sealed class WebhookRegistrationStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        """
        registration_id, tenant_id, partner_id, environment, url, event_types, description, signature_algorithms, status,
        disabled_reason, disabled_at, consecutive_failures, first_failure_at, secret_enc, previous_secret_enc, previous_secret_until,
        ed25519_private_enc, ed25519_public_key, created_at, updated_at, version
        """;

    internal async Task<WebhookRow?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM webhook_registrations WHERE registration_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    internal async Task<List<WebhookRow>> ListAsync(string tenantId, string? after, int limit, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {Columns} FROM webhook_registrations WHERE tenant_id = $1 AND registration_id > $2 ORDER BY registration_id LIMIT $3");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = after ?? "" });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit });
        var rows = new List<WebhookRow>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    internal async Task<List<string>> IdsOfTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT registration_id FROM webhook_registrations WHERE tenant_id = $1 ORDER BY registration_id");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    internal async Task InsertAsync(WebhookRow row)
    {
        await using var cmd = dataSource.CreateCommand(
            $"INSERT INTO webhook_registrations ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)");
        cmd.Parameters.AddRange(Parameters(row));
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Writes <paramref name="row"/> over the stored one if it is still at <paramref name="row"/>.Version - 1.</summary>
    internal async Task UpdateAsync(WebhookRow row, NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null)
    {
        const string Sql =
            """
            UPDATE webhook_registrations SET url = $2, event_types = $3, description = $4, status = $5, disabled_reason = $6,
                disabled_at = $7, consecutive_failures = $8, first_failure_at = $9, secret_enc = $10, previous_secret_enc = $11,
                previous_secret_until = $12, updated_at = $13, version = $14
            WHERE registration_id = $1 AND version = $14 - 1
            """;
        await using var cmd = connection is null ? dataSource.CreateCommand(Sql) : new NpgsqlCommand(Sql, connection, transaction);
        var all = Parameters(row);
        // Same order as Columns: id, url, event types, description, status … version (tenant, partner and keys never change).
        cmd.Parameters.AddRange(new[] { all[0], all[4], all[5], all[6], all[8], all[9], all[10], all[11], all[12], all[13], all[14], all[15], all[19], all[20] });
        if (await cmd.ExecuteNonQueryAsync() != 1)
        {
            throw new WebhookConcurrencyException();
        }
    }

    internal async Task<bool> DeleteAsync(string id)
    {
        await using var cmd = dataSource.CreateCommand("DELETE FROM webhook_registrations WHERE registration_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        return await cmd.ExecuteNonQueryAsync() > 0;
    }

    internal async Task<List<WebhookNotice>> NoticesAsync(string id, int take = 20)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT type, reason, created_at FROM webhook_notices WHERE registration_id = $1 ORDER BY notice_id DESC LIMIT $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter { Value = take });
        var notices = new List<WebhookNotice>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            notices.Add(new WebhookNotice(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return notices;
    }

    private static NpgsqlParameter[] Parameters(WebhookRow r) =>
    [
        new() { Value = r.Id }, new() { Value = r.TenantId }, new() { Value = r.PartnerId }, new() { Value = r.Environment },
        new() { Value = r.Url }, new() { Value = r.EventTypes.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
        Nullable(r.Description, NpgsqlDbType.Text),
        new() { Value = r.SignatureAlgorithms.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
        new() { Value = r.Status }, Nullable(r.DisabledReason, NpgsqlDbType.Text), Nullable(r.DisabledAt, NpgsqlDbType.TimestampTz),
        new() { Value = r.ConsecutiveFailures }, Nullable(r.FirstFailureAt, NpgsqlDbType.TimestampTz), new() { Value = r.SecretEnc },
        Nullable(r.PreviousSecretEnc, NpgsqlDbType.Text), Nullable(r.PreviousSecretUntil, NpgsqlDbType.TimestampTz),
        Nullable(r.Ed25519PrivateEnc, NpgsqlDbType.Text), Nullable(r.Ed25519PublicKey, NpgsqlDbType.Text),
        new() { Value = r.CreatedAt }, new() { Value = r.UpdatedAt }, new() { Value = r.Version },
    ];

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    private static WebhookRow Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetGuid(2), r.GetString(3), r.GetString(4), r.GetFieldValue<string[]>(5),
        r.IsDBNull(6) ? null : r.GetString(6), r.GetFieldValue<string[]>(7), r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9),
        r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10), r.GetInt32(11), r.IsDBNull(12) ? null : r.GetFieldValue<DateTimeOffset>(12),
        r.GetString(13), r.IsDBNull(14) ? null : r.GetString(14), r.IsDBNull(15) ? null : r.GetFieldValue<DateTimeOffset>(15),
        r.IsDBNull(16) ? null : r.GetString(16), r.IsDBNull(17) ? null : r.GetString(17), r.GetFieldValue<DateTimeOffset>(18),
        r.GetFieldValue<DateTimeOffset>(19), r.GetInt32(20));
}

/// <summary>The row changed under the grain (another activation wrote it): the caller re-reads and retries.</summary>
public sealed class WebhookConcurrencyException() : Exception("The webhook registration changed concurrently.");
