using Microsoft.Extensions.Logging;
using Npgsql;

namespace Vectros.Silo.Storage;

/// <summary>
/// Applies the embedded SQL migrations of every registered module in registration order (the Orleans providers'
/// tables first, then the grains'), each script once, in its own transaction, recorded in <c>schema_migrations</c>
/// with its checksum. Runs under a session advisory lock so processes starting together take turns. Refuses to
/// run, naming the file, when an applied script's text has changed: an applied migration is never edited.
/// </summary>
public sealed partial class MigrationRunner
{
    // Arbitrary but fixed: every process of this application must use the same key.
    private const long AdvisoryLockKey = 0x5665_6374_726F_7301;

    private const string CreateTableSql =
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            module text NOT NULL,
            version integer NOT NULL,
            name text NOT NULL,
            checksum text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (module, version)
        )
        """;

    // schema_migrations without a checksum column was written by the retired runtime, before the baseline.
    private const string PreBaselineSql =
        """
        SELECT to_regclass('schema_migrations') IS NOT NULL AND NOT EXISTS (
            SELECT FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'schema_migrations' AND column_name = 'checksum')
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<MigrationRunner> _logger;
    private readonly Lazy<List<MigrationScript>> _scripts;

    public MigrationRunner(NpgsqlDataSource dataSource, IEnumerable<MigrationModule> modules, ILogger<MigrationRunner> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        var ordered = modules.DistinctBy(static m => m.Name).ToList();
        _scripts = new Lazy<List<MigrationScript>>(() => [.. ordered.SelectMany(MigrationScript.Load)]);
    }

    /// <summary>The scripts this build carries, in the order they apply.</summary>
    public IReadOnlyList<MigrationScript> Scripts => _scripts.Value;

    /// <summary>
    /// Applies every script not yet recorded; safe to run concurrently and repeatedly. Throws
    /// <see cref="MigrationChecksumException"/> before applying anything when an applied script changed.
    /// </summary>
    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var scripts = _scripts.Value;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await using (var check = new NpgsqlCommand(PreBaselineSql, connection))
            {
                if ((bool)(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    throw new MigrationChecksumException(
                        "This database was created before the migration baseline of 2026-12-02 (its schema_migrations has no " +
                        "checksums) and cannot be upgraded in place. Recreate it: ./vectros db reset (development), or restore " +
                        "into a new database.");
                }
            }

            await ExecuteAsync(connection, CreateTableSql, cancellationToken).ConfigureAwait(false);
            var applied = await ReadAppliedAsync(connection, cancellationToken).ConfigureAwait(false);
            VerifyChecksums(scripts, applied);
            foreach (var script in scripts.Where(s => !applied.ContainsKey((s.Module, s.Version))))
            {
                await ApplyScriptAsync(connection, script, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await UnlockAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>True when every embedded script is recorded as applied with its current checksum (readiness).</summary>
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
        return _scripts.Value.All(s => applied.TryGetValue((s.Module, s.Version), out var sum) && sum == s.Checksum);
    }

    private static void VerifyChecksums(List<MigrationScript> scripts, Dictionary<(string, int), string> applied)
    {
        foreach (var script in scripts)
        {
            if (applied.TryGetValue((script.Module, script.Version), out var recorded) && recorded != script.Checksum)
            {
                throw new MigrationChecksumException(
                    $"Migration {script.FileName} was changed after it was applied (recorded checksum {recorded[..12]}…, " +
                    $"file now {script.Checksum[..12]}…). An applied migration must never be edited: restore the file and " +
                    "put the change in a new numbered migration.");
            }
        }
    }

    private async Task ApplyScriptAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(script.Sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var record = new NpgsqlCommand(
                         "INSERT INTO schema_migrations (module, version, name, checksum) VALUES ($1, $2, $3, $4)",
                         connection,
                         transaction))
        {
            record.Parameters.Add(new NpgsqlParameter { Value = script.Module });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Version });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Name });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Checksum });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        LogApplied(_logger, script.FileName);
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

    private static async Task<Dictionary<(string Module, int Version), string>> ReadAppliedAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT module, version, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var applied = new Dictionary<(string, int), string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied[(reader.GetString(0), reader.GetInt32(1))] = reader.GetString(2);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {File}")]
    private static partial void LogApplied(ILogger logger, string file);
}

/// <summary>The database's migrations cannot be trusted (an applied file changed, or it predates the baseline).</summary>
public sealed class MigrationChecksumException(string message) : Exception(message);
