using Npgsql;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Webhooks;

namespace Vectros.Grains.Webhooks;

/// <summary>A <c>webhook_deliveries</c> row due for an attempt.</summary>
internal sealed record DeliveryRow(long DeliveryId, Guid EventId, string EventType, string Body, string Status, int Attempts);

/// <summary>What one attempt changes: the attempt row, the delivery's new state and, when it moved, the registration.</summary>
internal sealed record AttemptOutcome(
    DeliveryRow Delivery,
    WebhookSendResult Result,
    DateTimeOffset AttemptedAt,
    string NewStatus,
    DateTimeOffset? NextAttemptAt,
    WebhookRow? Registration,
    string? DisabledNotice);

/// <summary>SQL of <c>webhook_deliveries</c>, <c>webhook_attempts</c> and <c>webhook_notices</c>.</summary>
public sealed class WebhookDeliveryStore(NpgsqlDataSource dataSource, WebhookRegistrationStore registrations)
{
    internal async Task<List<DeliveryRow>> DueAsync(string registrationId, DateTimeOffset now, int limit)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT delivery_id, event_id, event_type, body, status, attempts FROM webhook_deliveries
            WHERE registration_id = $1 AND status = 'pending' AND next_attempt_at <= $2 ORDER BY next_attempt_at, delivery_id LIMIT $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = registrationId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadDeliveriesAsync(cmd);
    }

    internal async Task<DateTimeOffset?> NextAttemptAtAsync(string registrationId)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT min(next_attempt_at) FROM webhook_deliveries WHERE registration_id = $1 AND status = 'pending'");
        cmd.Parameters.Add(new NpgsqlParameter { Value = registrationId });
        return await cmd.ExecuteScalarAsync() is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    /// <summary>The attempt, the delivery's new state, the registration's counters and any notice: one transaction.</summary>
    internal async Task RecordAsync(string registrationId, string tenantId, AttemptOutcome outcome)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var d = outcome.Delivery;
        var r = outcome.Result;
        await using (var attempt = new NpgsqlCommand(
            """
            INSERT INTO webhook_attempts (registration_id, tenant_id, delivery_id, event_id, event_type, attempt_number, attempted_at,
                status_code, succeeded, latency_ms, resolved_address, error)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """, conn, tx))
        {
            attempt.Parameters.AddRange(new NpgsqlParameter[]
            {
                new() { Value = registrationId }, new() { Value = tenantId }, new() { Value = d.DeliveryId }, new() { Value = d.EventId },
                new() { Value = d.EventType }, new() { Value = d.Attempts + 1 }, new() { Value = outcome.AttemptedAt },
                new() { Value = (object?)r.StatusCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer }, new() { Value = r.Succeeded },
                new() { Value = r.LatencyMs }, new() { Value = (object?)r.ResolvedAddress ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)Describe(r) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            });
            await attempt.ExecuteNonQueryAsync();
        }

        // Guarded by the attempt count read: a second activation that raced this one records nothing twice.
        await using (var delivery = new NpgsqlCommand(
            """
            UPDATE webhook_deliveries SET status = $3, attempts = attempts + 1, next_attempt_at = $4, updated_at = $5
            WHERE delivery_id = $1 AND attempts = $2
            """, conn, tx))
        {
            delivery.Parameters.AddRange(new NpgsqlParameter[]
            {
                new() { Value = d.DeliveryId }, new() { Value = d.Attempts }, new() { Value = outcome.NewStatus },
                new() { Value = (object?)outcome.NextAttemptAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                new() { Value = outcome.AttemptedAt },
            });
            if (await delivery.ExecuteNonQueryAsync() != 1)
            {
                throw new WebhookConcurrencyException();
            }
        }

        if (outcome.Registration is { } row)
        {
            await registrations.UpdateAsync(row, conn, tx);
        }

        if (outcome.DisabledNotice is { } reason)
        {
            await using var notice = new NpgsqlCommand(
                "INSERT INTO webhook_notices (registration_id, tenant_id, type, reason, created_at) VALUES ($1, $2, $3, $4, $5)", conn, tx);
            notice.Parameters.AddRange(new NpgsqlParameter[]
            {
                new() { Value = registrationId }, new() { Value = tenantId }, new() { Value = WebhookEventTypes.EndpointDisabled },
                new() { Value = reason }, new() { Value = outcome.AttemptedAt },
            });
            await notice.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
    }

    /// <summary>
    /// Makes due now every delivery that gave up, or whose last attempt failed, since <paramref name="since"/> (the
    /// retry schedule starts again). <c>tenant.deleted</c> is a single attempt by design and is left alone.
    /// </summary>
    internal async Task<int> RecoverAsync(string registrationId, DateTimeOffset since, DateTimeOffset now)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $3, updated_at = $3
            WHERE registration_id = $1 AND updated_at >= $2 AND event_type <> 'tenant.deleted'
              AND (status = 'failed' OR (status = 'pending' AND attempts > 0))
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = registrationId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = since });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now });
        return await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The one <c>tenant.deleted</c> delivery of a registration (created on first call; its id makes it unique).</summary>
    internal async Task<DeliveryRow> TenantDeletedAsync(string registrationId, string tenantId, Guid eventId, string body, DateTimeOffset now)
    {
        await using (var insert = dataSource.CreateCommand(
            """
            INSERT INTO webhook_deliveries (registration_id, tenant_id, event_id, event_type, body, status, attempts, next_attempt_at, created_at, updated_at)
            VALUES ($1, $2, $3, 'tenant.deleted', $4, 'pending', 0, NULL, $5, $5) ON CONFLICT (registration_id, event_id) DO NOTHING
            """))
        {
            insert.Parameters.AddRange(new NpgsqlParameter[]
            {
                new() { Value = registrationId }, new() { Value = tenantId }, new() { Value = eventId }, new() { Value = body }, new() { Value = now },
            });
            await insert.ExecuteNonQueryAsync();
        }

        await using var select = dataSource.CreateCommand(
            "SELECT delivery_id, event_id, event_type, body, status, attempts FROM webhook_deliveries WHERE registration_id = $1 AND event_id = $2");
        select.Parameters.Add(new NpgsqlParameter { Value = registrationId });
        select.Parameters.Add(new NpgsqlParameter { Value = eventId });
        return (await ReadDeliveriesAsync(select)).Single();
    }

    /// <summary>Newest first; the cursor is the last attempt id of the previous page.</summary>
    internal async Task<List<WebhookAttempt>> AttemptsAsync(string registrationId, long? before, int limit)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT attempt_id, event_id, event_type, attempt_number, attempted_at, status_code, succeeded, latency_ms, resolved_address, error
            FROM webhook_attempts WHERE registration_id = $1 AND attempt_id < $2 ORDER BY attempt_id DESC LIMIT $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = registrationId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = before ?? long.MaxValue });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit });
        var attempts = new List<WebhookAttempt>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            attempts.Add(new WebhookAttempt(
                "att_" + reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture), reader.GetGuid(1).ToString(), reader.GetString(2), reader.GetInt32(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5), reader.GetBoolean(6), reader.GetInt64(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return attempts;
    }

    /// <summary>The registrations that have deliveries waiting: woken at start-up in case a crash lost a wake-up call.</summary>
    internal async Task<List<string>> RegistrationsWithPendingAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT DISTINCT registration_id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at IS NOT NULL");
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static string? Describe(WebhookSendResult r) =>
        r.Error ?? (r.Succeeded || r.StatusCode is null ? null : $"HTTP {r.StatusCode}");

    private static async Task<List<DeliveryRow>> ReadDeliveriesAsync(NpgsqlCommand cmd)
    {
        var rows = new List<DeliveryRow>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new DeliveryRow(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5)));
        }

        return rows;
    }
}
