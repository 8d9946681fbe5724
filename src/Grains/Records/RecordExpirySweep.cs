using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Runtime;
using Vectros.Grains.Abstractions.Records;

namespace Vectros.Grains.Records;

/// <summary>
/// Deletes records whose <c>expiresAt</c> has passed, each through its own record grain so the delete is the same
/// one a client makes (tombstone, history row, outbox row, one transaction) and cannot race a concurrent write.
/// The reminder makes it durable: after a crash the schedule resumes on a surviving silo.
/// </summary>
public sealed class RecordExpirySweep(
    NpgsqlDataSource dataSource, TimeProvider time, IOptions<RecordExpiryOptions> options, ILogger<RecordExpirySweep> logger)
    : Grain, IRecordExpiryGrain, IRemindable
{
    /// <summary>Who history rows and tombstones name as the deleter.</summary>
    public const string ChangedBy = "system:expiry";

    private const string ReminderName = "sweep";

    public Task EnsureScheduledAsync() =>
        this.RegisterOrUpdateReminder(ReminderName, options.Value.Period, options.Value.Period);

    public async Task<int> SweepAsync()
    {
        var deleted = 0;
        while (true)
        {
            var now = time.GetUtcNow();
            var due = await DueAsync(now, options.Value.BatchSize);
            foreach (var (tenantId, contextId, recordId) in due)
            {
                if (await GrainFactory.GetGrain<IRecordGrain>($"{tenantId}#{contextId}#{recordId}").ExpireAsync(now))
                {
                    deleted++;
                }
            }

            if (due.Count < options.Value.BatchSize)
            {
                break;
            }
        }

        if (deleted > 0)
        {
            logger.LogInformation("Expiry sweep deleted {Count} expired records", deleted);
        }

        return deleted;
    }

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        try
        {
            await SweepAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OrleansException)
        {
            // The next tick retries: nothing was lost, the rows are still due.
            logger.LogWarning(ex, "Expiry sweep failed; the next tick retries");
        }
    }

    private async Task<List<(string TenantId, string ContextId, Guid RecordId)>> DueAsync(DateTimeOffset now, int take)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT tenant_id, context_id, record_id FROM records WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = now });
        cmd.Parameters.Add(new NpgsqlParameter { Value = take });
        var due = new List<(string, string, Guid)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            due.Add((reader.GetString(0), reader.GetString(1), reader.GetGuid(2)));
        }

        return due;
    }
}
