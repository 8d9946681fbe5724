using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Helpers shared by the schema test classes: create over HTTP, and read the rows a write left behind.</summary>
public abstract class SchemaTestBase : ApiTestBase
{
    /// <summary>Creates a schema (201) and returns its body.</summary>
    protected Task<JsonElement> CreateAsync(object request, HttpClient? client = null) => CreateSchemaAsync(request, client);

    protected async Task<long> CountSchemasAsync(string? tenantId = null) =>
        await ScalarAsync("SELECT count(*) FROM schemas WHERE tenant_id = $1", tenantId ?? Partner.TestTenantId);

    protected async Task<long> CountSchemaVersionsAsync(string? tenantId = null) =>
        await ScalarAsync("SELECT count(*) FROM entity_versions WHERE tenant_id = $1 AND entity_kind = 'schema'", tenantId ?? Partner.TestTenantId);

    protected async Task<long> ScalarAsync(string sql, params object[] args)
    {
        await using var cmd = Db.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected async Task ExecuteAsync(string sql, params object[] args)
    {
        await using var cmd = Db.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Inserts a bare record row of <paramref name="typeName"/> straight into the table (the records API is not this class's subject).</summary>
    protected Task InsertRecordRowAsync(string typeName, string? tenantId = null) =>
        ExecuteAsync(
            "INSERT INTO records (tenant_id, context_id, record_id, type_name, payload, created_by) VALUES ($1, 'default', $2, $3, '{}'::jsonb, 'test')",
            tenantId ?? Partner.TestTenantId, Guid.CreateVersion7(), typeName);

    protected static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
        return body;
    }
}
