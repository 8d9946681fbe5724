using Npgsql;
using Vectros.Grains.Abstractions.Users;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Users;

/// <summary>Reads of the <c>users</c> and <c>user_invites</c> tables; every statement binds the tenant. Writes go through <see cref="UserWriteBatch"/>.</summary>
internal sealed class UserStore(NpgsqlDataSource dataSource)
{
    /// <summary>The columns <see cref="Read"/> expects, in order.</summary>
    public const string Columns =
        "user_id, external_id, email, user_type, status, account_role, external_subject, payload::text, schema_id, schema_version, " +
        "schema_context_id, type_name, created_by, created_at, updated_at, version";

    private const int ColumnCount = 16;

    public static string ColumnsOf(string alias) =>
        string.Join(", ", Columns.Split(", ").Select(c => $"{alias}.{c}"));

    public async Task<UserRow?> LoadAsync(string tenantId, Guid id)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM users WHERE tenant_id = $1 AND user_id = $2");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Uuid(id));
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>The app contexts where the user holds an access profile.</summary>
    public async Task<IReadOnlyList<string>> ProfileContextsAsync(string tenantId, Guid id)
    {
        await using var cmd = dataSource.CreateCommand("SELECT context_id FROM access_profiles WHERE tenant_id = $1 AND principal_id = $2");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(Abstractions.Access.PrincipalIds.ForUser(id.ToString())));
        var contexts = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            contexts.Add(reader.GetString(0));
        }

        return contexts;
    }

    public async Task<Guid?> FindByExternalIdAsync(string tenantId, string externalId)
    {
        await using var cmd = dataSource.CreateCommand("SELECT user_id FROM users WHERE tenant_id = $1 AND external_id = $2");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(externalId));
        return await cmd.ExecuteScalarAsync() is Guid id ? id : null;
    }

    /// <summary>The user holding this email (matched case-insensitively) in the tenant.</summary>
    public async Task<UserRow?> FindByEmailAsync(string tenantId, string email)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM users WHERE tenant_id = $1 AND email_key = $2");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(UserRules.EmailKey(email)));
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>Whether the user holds an active access profile (<c>usr_&lt;id&gt;</c>) in the context.</summary>
    public async Task<bool> HasActiveProfileAsync(string tenantId, string contextId, Guid userId)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM access_profiles WHERE tenant_id = $1 AND context_id = $2 AND principal_id = $3 AND status = 'active')");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Text($"usr_{userId}"));
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Whether a caller confined to the context reaches the user (<see cref="UserConfinement"/>).</summary>
    public async Task<bool> IsVisibleAsync(string tenantId, string contextId, Guid userId)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {UserConfinement.Visible("$1", "$2", "$3")}");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Uuid(userId));
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>The context and the AccessProfileSpec JSON of the user's outstanding invitation, if any.</summary>
    public async Task<(string ContextId, string AccessProfileJson)?> InviteAsync(string tenantId, Guid userId)
    {
        await using var cmd = dataSource.CreateCommand("SELECT context_id, access_profile::text FROM user_invites WHERE tenant_id = $1 AND user_id = $2");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Uuid(userId));
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>Whether the account's other tenant (live vs test) has a user with this email (spec L4936).</summary>
    public async Task<bool> EmailInSiblingTenantAsync(string tenantId, string email)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT EXISTS (
                SELECT 1 FROM tenants me JOIN tenants other ON other.partner_id = me.partner_id AND other.tenant_id <> me.tenant_id
                JOIN users u ON u.tenant_id = other.tenant_id AND u.email_key = $2
                WHERE me.tenant_id = $1)
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(UserRules.EmailKey(email)));
        return await cmd.ExecuteScalarAsync() is true;
    }

    /// <summary>The context of the user's outstanding invitation, if any.</summary>
    public async Task<string?> InviteContextAsync(string tenantId, Guid userId)
    {
        await using var cmd = dataSource.CreateCommand("SELECT context_id FROM user_invites WHERE tenant_id = $1 AND user_id = $2");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Uuid(userId));
        return await cmd.ExecuteScalarAsync() as string;
    }

    public async Task<List<(UserRow Row, string? Sort)>> QueryAsync(string sql, IEnumerable<NpgsqlParameter> parameters)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddRange(parameters.ToArray());
        var rows = new List<(UserRow, string?)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        var hasSort = reader.FieldCount > ColumnCount;
        while (await reader.ReadAsync())
        {
            rows.Add((Read(reader), hasSort && !reader.IsDBNull(ColumnCount) ? reader.GetString(ColumnCount) : null));
        }

        return rows;
    }

    /// <summary>Runs a <c>SELECT user_id, email</c> query into a map.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> EmailsAsync(string sql, IEnumerable<NpgsqlParameter> parameters)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddRange(parameters.ToArray());
        var emails = new Dictionary<Guid, string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            emails[reader.GetGuid(0)] = reader.GetString(1);
        }

        return emails;
    }

    public static UserRow Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        ExternalId = r.GetString(1),
        Email = r.IsDBNull(2) ? null : r.GetString(2),
        Type = r.GetString(3),
        Status = r.GetString(4),
        Role = r.GetString(5),
        ExternalSubject = r.IsDBNull(6) ? null : r.GetString(6),
        StoredPayload = r.GetString(7),
        SchemaId = r.IsDBNull(8) ? null : r.GetGuid(8),
        SchemaVersion = r.IsDBNull(9) ? null : r.GetInt32(9),
        SchemaContextId = r.IsDBNull(10) ? null : r.GetString(10),
        TypeName = r.IsDBNull(11) ? null : r.GetString(11),
        CreatedBy = r.GetString(12),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(13),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(14),
        Version = r.GetInt64(15),
    };
}
