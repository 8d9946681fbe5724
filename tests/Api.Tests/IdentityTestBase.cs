using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Helpers shared by the namespace, entity and org/client tests: HTTP shortcuts and row counts straight from PostgreSQL.</summary>
public abstract class IdentityTestBase : ApiTestBase
{
    protected async Task CreateContextAsync(string contextId, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/v1/app-contexts", new { contextId, name = contextId });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{response.StatusCode}");
    }

    protected async Task<JsonElement> RegisterAsync(object body, string? contextId = null, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync(contextId is null ? "/v1/namespaces" : $"/v1/namespaces?contextId={contextId}", body);
        var json = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {json}");
        return json;
    }

    protected async Task<JsonElement> CreateEntityAsync(
        string ns, object body, string? contextId = null, HttpClient? client = null, HttpStatusCode expected = HttpStatusCode.Created, bool upsert = false)
    {
        var query = new List<string>();
        if (contextId is not null)
        {
            query.Add("contextId=" + contextId);
        }

        if (upsert)
        {
            query.Add("upsert=true");
        }

        var url = $"/v1/entities/{ns}" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        var response = await (client ?? Client).PostAsJsonAsync(url, body);
        var json = await JsonAsync(response);
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {json}");
        return json;
    }

    /// <summary>A single number from SQL over the server's database; <c>$1</c> is the test tenant.</summary>
    protected async Task<long> CountAsync(string sql, string? tenantId = null)
    {
        await using var cmd = Db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId ?? Partner.TestTenantId });
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Rows of the identity tables of the test tenant: what a failed request must leave unchanged.</summary>
    protected async Task<(long Namespaces, long Entities, long Lookups, long Versions)> IdentityRowsAsync(string? tenantId = null)
    {
        await using var cmd = Db.CreateCommand(
            """
            SELECT (SELECT count(*) FROM namespaces WHERE tenant_id = $1), (SELECT count(*) FROM entities WHERE tenant_id = $1),
                   (SELECT count(*) FROM entity_lookups WHERE tenant_id = $1),
                   (SELECT count(*) FROM entity_versions WHERE tenant_id = $1 AND entity_kind LIKE 'entity:%')
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId ?? Partner.TestTenantId });
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>Asserts the status and, for errors, that the body names <paramref name="field"/> (details.field and the message).</summary>
    protected static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null, string? errorCode = null)
    {
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
        if (field is not null)
        {
            Assert.Equal(field, body.GetProperty("details").GetProperty("field").GetString());
            var name = field.TrimStart('$', '.').Split('[', '.')[0];
            Assert.Contains(name, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        if (errorCode is not null)
        {
            Assert.Equal(errorCode, body.GetProperty("errorCode").GetString());
        }

        return body;
    }

    protected static string Id(JsonElement item) => item.GetProperty("id").GetString()!;

    protected static IEnumerable<JsonElement> Data(JsonElement page) => page.GetProperty("data").EnumerateArray();
}
