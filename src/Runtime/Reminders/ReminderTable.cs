using Npgsql;

namespace Vectros.Runtime.Reminders;

/// <summary>
/// SQL for the <c>reminders</c> table (DESIGN §3 "Reminders"). Due times use the database clock so
/// every silo sharing the database agrees on them.
/// </summary>
internal sealed class ReminderTable(NpgsqlDataSource dataSource)
{
    // Registering again restarts the schedule and drops any lease, so a delivery in flight
    // (which checks it still owns the lease) cannot overwrite the new schedule.
    private const string UpsertSql =
        """
        INSERT INTO reminders (grain_type, grain_key, reminder_name, period_ms, first_due, next_due, lease_owner, lease_until)
        VALUES ($1, $2, $3, $4, now() + $5, now() + $5, NULL, NULL)
        ON CONFLICT (grain_type, grain_key, reminder_name) DO UPDATE
        SET period_ms = EXCLUDED.period_ms, first_due = EXCLUDED.first_due, next_due = EXCLUDED.next_due,
            lease_owner = NULL, lease_until = NULL
        """;

    private const string DeleteSql =
        "DELETE FROM reminders WHERE grain_type = $1 AND grain_key = $2 AND reminder_name = $3";

    // One statement: SKIP LOCKED lets silos polling at once take disjoint rows, and the lease keeps
    // a row from being taken again until it is delivered or the lease runs out (fires once).
    private const string LeaseSql =
        """
        UPDATE reminders AS r
        SET lease_owner = $1, lease_until = now() + $2
        FROM (
            SELECT grain_type, grain_key, reminder_name
            FROM reminders
            WHERE next_due <= now() AND (lease_until IS NULL OR lease_until < now())
            ORDER BY next_due
            LIMIT $3
            FOR UPDATE SKIP LOCKED
        ) AS due
        WHERE r.grain_type = due.grain_type AND r.grain_key = due.grain_key AND r.reminder_name = due.reminder_name
        RETURNING r.grain_type, r.grain_key, r.reminder_name, r.period_ms, r.first_due, r.next_due, now()
        """;

    // Advance past now by whole periods (missed ticks are not replayed), only while we own the lease.
    private const string CompleteSql =
        """
        UPDATE reminders
        SET next_due = next_due + greatest(floor(extract(epoch FROM now() - next_due) * 1000 / period_ms) + 1, 1)::double precision
                                  * period_ms * interval '1 millisecond',
            lease_owner = NULL, lease_until = NULL
        WHERE grain_type = $1 AND grain_key = $2 AND reminder_name = $3 AND lease_owner = $4
        """;

    private const string ReleaseSql =
        """
        UPDATE reminders SET lease_owner = NULL, lease_until = NULL
        WHERE grain_type = $1 AND grain_key = $2 AND reminder_name = $3 AND lease_owner = $4
        """;

    public async Task UpsertAsync(GrainId grainId, string name, TimeSpan dueTime, TimeSpan period, CancellationToken cancellationToken)
    {
        await using var command = Command(UpsertSql, grainId, name);
        command.Parameters.Add(new NpgsqlParameter { Value = (long)period.TotalMilliseconds });
        command.Parameters.Add(new NpgsqlParameter { Value = dueTime });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(GrainId grainId, string name, CancellationToken cancellationToken)
    {
        await using var command = Command(DeleteSql, grainId, name);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Leases up to <paramref name="limit"/> due reminders for <paramref name="owner"/>.</summary>
    public async Task<List<LeasedReminder>> LeaseDueAsync(string owner, TimeSpan leaseTime, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(LeaseSql);
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = leaseTime });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var leased = new List<LeasedReminder>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leased.Add(new LeasedReminder(
                new GrainId(reader.GetString(0), reader.GetString(1)),
                reader.GetString(2),
                TimeSpan.FromMilliseconds(reader.GetInt64(3)),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return leased;
    }

    /// <summary>After a delivery: schedule the next tick and drop the lease, if it is still ours.</summary>
    public Task CompleteAsync(LeasedReminder reminder, string owner, CancellationToken cancellationToken) =>
        ExecuteOwnedAsync(CompleteSql, reminder, owner, cancellationToken);

    /// <summary>After a failed delivery: drop the lease so the next poll retries.</summary>
    public Task ReleaseAsync(LeasedReminder reminder, string owner, CancellationToken cancellationToken) =>
        ExecuteOwnedAsync(ReleaseSql, reminder, owner, cancellationToken);

    private async Task ExecuteOwnedAsync(string sql, LeasedReminder reminder, string owner, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, reminder.GrainId, reminder.Name);
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private NpgsqlCommand Command(string sql, GrainId grainId, string name)
    {
        var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = grainId.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = grainId.Key });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return command;
    }
}
