using Npgsql;
using NpgsqlTypes;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Tokens;

/// <summary>A row of <c>signing_keys</c> that is still published; <see cref="PrivateKeyEnc"/> only on the active key.</summary>
internal sealed record SigningKeyRow(
    string Kid, byte[] PublicKey, byte[]? PrivateKeyEnc, DateTimeOffset ActivatedAt, DateTimeOffset RetireAfter,
    DateTimeOffset? PublishUntil);

/// <summary>The SQL of <c>signing_keys</c> (migration 0014). Times come from the database clock, one for every silo.</summary>
internal sealed class SigningKeyStore(NpgsqlDataSource dataSource)
{
    /// <summary>Serialises rotations across silos (and admin commands) for the length of one transaction.</summary>
    private const long RotationLock = 0x5645_4354_534B_0001;

    public async Task<IReadOnlyList<SigningKeyRow>> LoadPublishedAsync()
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT kid, public_key, private_key_enc, activated_at, retire_after, publish_until
            FROM signing_keys
            WHERE publish_until IS NULL OR publish_until > now()
            ORDER BY activated_at DESC
            """);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<SigningKeyRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new SigningKeyRow(
                reader.GetString(0),
                reader.GetFieldValue<byte[]>(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return rows;
    }

    /// <summary>
    /// One transaction under an advisory lock: retire the active key if <paramref name="force"/>, if it is
    /// <paramref name="retireKid"/>, or (neither given) if its <c>retire_after</c> has passed; then insert
    /// <paramref name="candidate"/> only when no key is active. Racing silos thus activate exactly one new key.
    /// A retired key loses its private half and stays published for <paramref name="publishFor"/>.
    /// </summary>
    public async Task RotateAsync(NewSigningKey candidate, bool force, string? retireKid, TimeSpan publishFor)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)") { Parameters = { Long(RotationLock) } },
                new NpgsqlBatchCommand(
                    """
                    UPDATE signing_keys
                    SET retired_at = now(), publish_until = now() + $3, private_key_enc = NULL
                    WHERE retired_at IS NULL AND ($1 OR kid = $2 OR ($2 IS NULL AND retire_after <= now()))
                    """)
                {
                    Parameters = { Bool(force), Text(retireKid), Of(publishFor, NpgsqlDbType.Interval) },
                },
                new NpgsqlBatchCommand(
                    """
                    INSERT INTO signing_keys (kid, algorithm, public_key, private_key_enc, retire_after)
                    SELECT $1, 'ES256', $2, $3, CASE WHEN $4 > interval '0' THEN now() + $4 ELSE now() + interval '1000 years' END
                    WHERE NOT EXISTS (SELECT 1 FROM signing_keys WHERE retired_at IS NULL)
                    """)
                {
                    Parameters =
                    {
                        Text(candidate.Kid), Of(candidate.PublicKey, NpgsqlDbType.Bytea),
                        Of(candidate.PrivateKeyEnc, NpgsqlDbType.Bytea), Of(candidate.RotationPeriod, NpgsqlDbType.Interval),
                    },
                },
            },
        };
        await batch.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }
}

/// <summary>A freshly generated key pair, ready to insert.</summary>
internal sealed record NewSigningKey(string Kid, byte[] PublicKey, byte[] PrivateKeyEnc, TimeSpan RotationPeriod);
