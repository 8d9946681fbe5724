using Npgsql;
using Vectros.Grains.Abstractions.Domains;

namespace Vectros.Grains.Domains;

/// <summary>The <c>verified_domains</c> table (migration 0019).</summary>
public sealed class DomainStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "domain_id, partner_id, domain, challenge_token, status, created_at, verified_at, last_checked_at, last_error";

    /// <summary>Inserts the claim unless the partner already holds it; returns the row and whether it is new. Null when the partner does not exist.</summary>
    public async Task<(DomainView View, bool Created)?> ClaimAsync(string domainId, Guid partnerId, string domain, string token, int limit)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH partner AS (SELECT partner_id FROM partners WHERE partner_id = $2),
                 held AS (SELECT count(*) AS n FROM verified_domains WHERE partner_id = $2),
                 inserted AS (
                     INSERT INTO verified_domains (domain_id, partner_id, domain, challenge_token, status)
                     SELECT $1, $2, $3, $4, 'pending' FROM partner, held WHERE held.n < $5
                     ON CONFLICT (partner_id, domain) DO NOTHING
                     RETURNING {Columns})
            SELECT {Columns}, true FROM inserted
            UNION ALL
            SELECT {Columns}, false FROM verified_domains WHERE partner_id = $2 AND domain = $3 AND NOT EXISTS (SELECT 1 FROM inserted)
            UNION ALL
            SELECT NULL, NULL, NULL, NULL, CASE WHEN EXISTS (SELECT 1 FROM partner) THEN 'limit' ELSE 'no-partner' END, NULL, NULL, NULL, NULL, false
            WHERE NOT EXISTS (SELECT 1 FROM inserted) AND NOT EXISTS (SELECT 1 FROM verified_domains WHERE partner_id = $2 AND domain = $3)
            """);
        command.Parameters.Add(new() { Value = domainId });
        command.Parameters.Add(new() { Value = partnerId });
        command.Parameters.Add(new() { Value = domain });
        command.Parameters.Add(new() { Value = token });
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        if (reader.IsDBNull(0))
        {
            return reader.GetString(4) == "limit" ? throw new DomainLimitException() : null;
        }

        return (Read(reader), reader.GetBoolean(9));
    }

    public async Task<DomainView?> GetAsync(string domainId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM verified_domains WHERE domain_id = $1");
        command.Parameters.Add(new() { Value = domainId });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<DomainView>> ListAsync(Guid partnerId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM verified_domains WHERE partner_id = $1 ORDER BY domain");
        command.Parameters.Add(new() { Value = partnerId });
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<DomainView>();
        while (await reader.ReadAsync())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    public async Task<DomainView?> RecordCheckAsync(string domainId, bool verified, string? error, DateTimeOffset at)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE verified_domains
               SET last_checked_at = $2, last_error = $3,
                   status = CASE WHEN $4 THEN 'verified' ELSE status END,
                   verified_at = CASE WHEN $4 AND verified_at IS NULL THEN $2 ELSE verified_at END
             WHERE domain_id = $1
            RETURNING {Columns}
            """);
        command.Parameters.Add(new() { Value = domainId });
        command.Parameters.Add(new() { Value = at });
        command.Parameters.Add(new() { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = verified });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    public async Task<bool> DeleteAsync(string domainId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM verified_domains WHERE domain_id = $1");
        command.Parameters.Add(new() { Value = domainId });
        return await command.ExecuteNonQueryAsync() > 0;
    }

    /// <summary>Whether the host is a verified domain of the partner or sits below one (label boundary, not a suffix match).</summary>
    public async Task<bool> CoversAsync(Guid partnerId, string host)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM verified_domains
                            WHERE partner_id = $1 AND status = 'verified'
                              AND ($2 = domain OR right($2, length(domain) + 1) = '.' || domain))
            """);
        command.Parameters.Add(new() { Value = partnerId });
        command.Parameters.Add(new() { Value = host });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static DomainView Read(NpgsqlDataReader r)
    {
        var domain = r.GetString(2);
        return new DomainView(
            r.GetString(0), r.GetGuid(1), domain, r.GetString(4),
            DomainNames.ChallengeName(domain), DomainNames.ChallengeValue(r.GetString(3)),
            r.GetFieldValue<DateTimeOffset>(5),
            r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6),
            r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7),
            r.IsDBNull(8) ? null : r.GetString(8));
    }
}

/// <summary>The partner holds the most domains it may.</summary>
public sealed class DomainLimitException : Exception;
