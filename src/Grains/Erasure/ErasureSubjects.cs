using Npgsql;
using Vectros.Grains.Abstractions.Erasure;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Users;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Erasure;

/// <summary>
/// Resolves an erasure subject and checks the named contexts, within one tenant (every query binds it, so another
/// tenant's subject or context is as unknown as a missing one). Read-only: a refused request writes nothing.
/// </summary>
internal sealed class ErasureSubjects(NpgsqlDataSource dataSource)
{
    private const string NoSuchSubject = "No such subject: no subject of this type has this id in your account.";

    public async Task<ErasureSubject> ResolveAsync(string tenantId, ErasureSubmission request)
    {
        if (request.SubjectType == ErasureRules.User)
        {
            var userId = await ScalarAsync<Guid?>(
                "SELECT user_id FROM users WHERE tenant_id = $1 AND (user_id = $2 OR external_id = $3)",
                Text(tenantId), Uuid(ParseId(request.SubjectId)), Text(request.ExternalId)) ?? throw new NotFoundException(NoSuchSubject);
            return new ErasureSubject(ErasureRules.User, userId.ToString(), userId, null, ErasureSubject.UserIdentity, userId, UserRules.TenantHome);
        }

        var ns = request.SubjectType;
        bool? entityBacked = await ScalarAsync<bool?>(
            "SELECT entity_backed FROM namespaces WHERE tenant_id = $1 AND namespace = $2 ORDER BY context_id = '' DESC LIMIT 1",
            Text(tenantId), Text(ns));
        if (entityBacked is null)
        {
            throw new ValidationException("subjectType", "subjectType must be 'user' or the name of a namespace registered in your account.");
        }

        if (entityBacked.Value)
        {
            await using var cmd = dataSource.CreateCommand(
                """
                SELECT context_id, entity_id FROM entities
                WHERE tenant_id = $1 AND namespace = $2 AND (entity_id = $3 OR external_id = $4)
                ORDER BY context_id = '' DESC, context_id LIMIT 1
                """);
            cmd.Parameters.AddRange(new NpgsqlParameter[] {Text(tenantId), Text(ns), Uuid(ParseId(request.SubjectId)), Text(request.ExternalId)});
            await using var reader = await cmd.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                throw new NotFoundException(NoSuchSubject);
            }

            var entityId = reader.GetGuid(1);
            return new ErasureSubject(ns, entityId.ToString(), null, $"{ns}:{entityId}", ErasureSubject.EntityIdentity, entityId, reader.GetString(0));
        }

        // A free-form namespace has no entities: its subjects exist only as the scope values rows carry.
        if (request.SubjectId is null)
        {
            throw new ValidationException("externalId", $"Namespace '{ns}' has no entities, so its subjects have no externalId: name the subject by subjectId.");
        }

        var scope = $"{ns}:{request.SubjectId}";
        var exists = await ScalarAsync<bool?>(
            $"""
            SELECT EXISTS (SELECT 1 FROM records t WHERE t.tenant_id = $1 AND {ErasureSubject.Involves("NULL", "$2")})
                OR EXISTS (SELECT 1 FROM documents t WHERE t.tenant_id = $1 AND {ErasureSubject.Involves("NULL", "$2")})
                OR EXISTS (SELECT 1 FROM folders t WHERE t.tenant_id = $1 AND {ErasureSubject.Involves("NULL", "$2")})
            """, Text(tenantId), Text(scope));
        return exists == true
            ? new ErasureSubject(ns, request.SubjectId, null, scope, null, null, "")
            : throw new NotFoundException(NoSuchSubject);
    }

    /// <summary>Refuses (400, naming the item) a context that is not an active context of the tenant.</summary>
    public async Task RequireContextsAsync(string tenantId, IReadOnlyList<string> contexts)
    {
        if (contexts.Count == 0)
        {
            return;
        }

        await using var cmd = dataSource.CreateCommand(
            "SELECT context_id FROM app_contexts WHERE tenant_id = $1 AND context_id = ANY($2) AND status = 'active'");
        cmd.Parameters.AddRange(new NpgsqlParameter[] {Text(tenantId), TextArray(contexts)});
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(reader.GetString(0));
        }

        for (var i = 0; i < contexts.Count; i++)
        {
            if (!found.Contains(contexts[i]))
            {
                throw new ValidationException($"contextScope[{i}]", $"contextScope[{i}] does not name an active app context of your account.");
            }
        }
    }

    /// <summary>The tenant's active contexts where any row (solely owned or shared) names the subject, ordered.</summary>
    public async Task<IReadOnlyList<string>> ContextsWithDataAsync(string tenantId, ErasureSubject subject)
    {
        var involves = ErasureSubject.Involves("$2", "$3");
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT c.context_id FROM app_contexts c
            WHERE c.tenant_id = $1 AND c.status = 'active' AND (
                EXISTS (SELECT 1 FROM records t WHERE t.tenant_id = $1 AND t.context_id = c.context_id AND {involves})
                OR EXISTS (SELECT 1 FROM documents t WHERE t.tenant_id = $1 AND t.context_id = c.context_id AND {involves})
                OR EXISTS (SELECT 1 FROM folders t WHERE t.tenant_id = $1 AND t.context_id = c.context_id AND {involves}))
            ORDER BY c.context_id
            """);
        cmd.Parameters.AddRange(new NpgsqlParameter[] {Text(tenantId), Uuid(subject.UserId), Text(subject.Scope)});
        var contexts = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            contexts.Add(reader.GetString(0));
        }

        return contexts;
    }

    /// <summary>A platform id that is not a UUID names nothing (ids of users and entities are UUIDs).</summary>
    private static Guid? ParseId(string? id) => Guid.TryParse(id, out var guid) ? guid : null;

    private async Task<T?> ScalarAsync<T>(string sql, params NpgsqlParameter[] parameters)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddRange(parameters);
        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }
}
