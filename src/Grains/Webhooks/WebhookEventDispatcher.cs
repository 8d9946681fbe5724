using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Webhooks;

namespace Vectros.Grains.Webhooks;

/// <summary>
/// Drains the <c>events</c> outbox (issue #11 item 5): in one transaction, leases undelivered events with
/// <c>FOR UPDATE SKIP LOCKED</c> (so several silos share the work), writes one delivery per active registration of the
/// SAME tenant subscribed to the type (a test-mode event can never reach a live registration) and marks the events
/// delivered; then wakes the registrations' grains. A crash before the commit leaves the events for the next pass; a
/// lost wake-up is covered by the grains' reminders and the start-up sweep.
/// </summary>
public sealed partial class WebhookEventDispatcher(
    NpgsqlDataSource dataSource,
    WebhookDeliveryStore deliveries,
    IGrainFactory grains,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookEventDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WakeAsync(await RetryAsync(() => deliveries.RegistrationsWithPendingAsync(stoppingToken), stoppingToken));
        while (!stoppingToken.IsCancellationRequested)
        {
            int events;
            try
            {
                var (count, registrations) = await DispatchOnceAsync(stoppingToken);
                events = count;
                await WakeAsync(registrations);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogDispatchFailed(logger, ex);
                events = 0;
            }

            if (events < BatchSize)
            {
                try
                {
                    await Task.Delay(options.Value.EventPollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One batch: returns how many events it took and which registrations got deliveries.</summary>
    public async Task<(int Events, IReadOnlyCollection<string> Registrations)> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        var batch = new List<(long Id, Guid EventId, string TenantId, string ContextId, string Type, string Data, DateTimeOffset CreatedAt)>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT id, event_id, tenant_id, context_id, type, data::text, created_at FROM events
            WHERE delivered_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
            """, conn, tx))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                batch.Add((reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                    reader.GetFieldValue<DateTimeOffset>(6)));
            }
        }

        if (batch.Count == 0)
        {
            return (0, []);
        }

        var woken = new HashSet<string>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        foreach (var e in batch)
        {
            var body = WebhookEnvelope.Build(e.EventId, e.Type, e.CreatedAt, e.TenantId, e.ContextId, JsonNode.Parse(e.Data));
            await using var fanOut = new NpgsqlCommand(
                """
                INSERT INTO webhook_deliveries (registration_id, tenant_id, event_id, event_type, body, status, attempts, next_attempt_at, created_at, updated_at)
                SELECT r.registration_id, r.tenant_id, $2, $3, $4, 'pending', 0, $5, $5, $5 FROM webhook_registrations r
                WHERE r.tenant_id = $1 AND r.status = 'active' AND $3 = ANY (r.event_types)
                ON CONFLICT (registration_id, event_id) DO NOTHING
                RETURNING registration_id
                """, conn, tx);
            fanOut.Parameters.AddRange(new NpgsqlParameter[]
            {
                new() { Value = e.TenantId }, new() { Value = e.EventId }, new() { Value = e.Type }, new() { Value = body }, new() { Value = now },
            });
            await using var reader = await fanOut.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                woken.Add(reader.GetString(0));
            }
        }

        await using (var mark = new NpgsqlCommand("UPDATE events SET delivered_at = $2 WHERE id = ANY ($1)", conn, tx))
        {
            mark.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.Id).ToArray() });
            mark.Parameters.Add(new NpgsqlParameter { Value = now });
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return (batch.Count, woken);
    }

    private async Task WakeAsync(IReadOnlyCollection<string> registrations)
    {
        foreach (var id in registrations)
        {
            try
            {
                await grains.GetGrain<IWebhookRegistrationGrain>(id).WakeAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The delivery rows are written; the next start-up sweep or a later wake finds them.
                LogWakeFailed(logger, id, ex);
            }
        }
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> action, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (Exception) when (!stoppingToken.IsCancellationRequested && attempt < 30)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook event dispatch failed; the next pass retries")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking webhook registration {RegistrationId} failed")]
    private static partial void LogWakeFailed(ILogger logger, string registrationId, Exception exception);
}
