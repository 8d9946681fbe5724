using Microsoft.Extensions.Logging;
using Npgsql;

namespace Vectros.Runtime.Storage;

/// <summary>
/// Applies the embedded SQL migrations of every registered module: the runtime's own module first,
/// then the others in registration order, each script once, in its own transaction, recorded in
/// <c>schema_migrations</c>. Runs under a session advisory lock so processes starting together
/// take turns instead of racing.
/// </summary>
public sealed class MigrationRunner
{
    /// <summary>The runtime's own module name.</summary>
    public const string RuntimeModule = "runtime";

    // Arbitrary but fixed: every process of this application must use the same key.
    private const long AdvisoryLockKey = 0x5665_6374_726F_7301;

    private const string CreateTableSql =
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            module text NOT NULL,
            version integer NOT NULL,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (module, version)
        )
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<MigrationRunner> _logger;
    private readonly Lazy<List<MigrationScript>> _scripts;

    internal MigrationRunner(NpgsqlDataSource dataSource, IEnumerable<MigrationModule> modules, ILogger<MigrationRunner> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        var ordered = modules
            .DistinctBy(static m => m.Name)
            .OrderBy(static m => m.Name == RuntimeModule ? 0 : 1) // stable: others keep registration order
            .ToList();
        _scripts = new Lazy<List<MigrationScript>>(() => [.. ordered.SelectMany(MigrationScript.Load)]);
    }

    /// <summary>Applies every script not yet recorded; safe to run concurrently and repeatedly.</summary>
    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var scripts = _scripts.Value;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, CreateTableSql, cancellationToken).ConfigureAwait(false);
            var applied = await ReadAppliedAsync(connection, cancellationToken).ConfigureAwait(false);
            foreach (var script in scripts.Where(s => !applied.Contains((s.Module, s.Version))))
            {
                await ApplyScriptAsync(connection, script, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await UnlockAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>True when every embedded script is recorded as applied (readiness).</summary>
    public async Task<bool> IsUpToDateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return false;
            }
        }

        var applied = await ReadAppliedAsync(connection, cancellationToken).ConfigureAwait(false);
        return _scripts.Value.All(s => applied.Contains((s.Module, s.Version)));
    }

    private async Task ApplyScriptAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(script.Sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var record = new NpgsqlCommand(
                         "INSERT INTO schema_migrations (module, version, name, applied_at) VALUES ($1, $2, $3, now())",
                         connection,
                         transaction))
        {
            record.Parameters.Add(new NpgsqlParameter { Value = script.Module });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Version });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Name });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        RuntimeLog.MigrationApplied(_logger, script.Module, script.Version, script.Name);
    }

    // Unlock even when cancelled: the pooled connection outlives this call. A failure here means the
    // connection is broken, which ends the session and its lock anyway, so it must not hide the real error.
    private static async Task UnlockAsync(NpgsqlConnection connection)
    {
        try
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
        }
    }

    private static async Task<HashSet<(string Module, int Version)>> ReadAppliedAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT module, version FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var applied = new HashSet<(string, int)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
