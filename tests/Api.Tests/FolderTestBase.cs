using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Helpers shared by the folder tests: create over HTTP, and read the database to prove what was (not) written.</summary>
public abstract class FolderTestBase : ApiTestBase
{
    protected async Task<JsonElement> CreateFolderAsync(
        object body, HttpClient? client = null, HttpStatusCode expected = HttpStatusCode.Created, bool upsert = false)
    {
        var response = await (client ?? Client).PostAsJsonAsync(upsert ? "/v1/folders?upsert=true" : "/v1/folders", body);
        Assert.Equal(expected, response.StatusCode);
        return await JsonAsync(response);
    }

    protected async Task<string> RootIdAsync(HttpClient? client = null)
    {
        var page = await JsonAsync(await (client ?? Client).GetAsync("/v1/folders?limit=100"));
        return page.GetProperty("data").EnumerateArray().Single(f => f.GetProperty("depth").GetInt32() == 0).GetProperty("id").GetString()!;
    }

    /// <summary>Folder rows and folder history rows of a tenant, straight from PostgreSQL.</summary>
    protected async Task<(long Folders, long Versions)> CountRowsAsync(string? tenantId = null)
    {
        tenantId ??= Partner.TestTenantId;
        var dataSource = Server.Services.GetRequiredService<NpgsqlDataSource>();
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT (SELECT count(*) FROM folders WHERE tenant_id = $1),
                   (SELECT count(*) FROM entity_versions WHERE tenant_id = $1 AND entity_kind = 'folder')
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    protected async Task ExecuteSqlAsync(string sql, params object[] args)
    {
        var dataSource = Server.Services.GetRequiredService<NpgsqlDataSource>();
        await using var cmd = dataSource.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        await cmd.ExecuteNonQueryAsync();
    }

    protected static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null, string? errorCode = null)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await JsonAsync(response);
        if (field is not null)
        {
            Assert.Equal(field, body.GetProperty("details").GetProperty("field").GetString());
            Assert.Contains(field.TrimStart('$', '.'), body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        if (errorCode is not null)
        {
            Assert.Equal(errorCode, body.GetProperty("errorCode").GetString());
        }
    }

    protected static string Id(JsonElement folder) => folder.GetProperty("id").GetString()!;

    protected static long Version(JsonElement folder) => folder.GetProperty("version").GetInt64();

    protected static HttpRequestMessage Patch(string id, string json, string mediaType = "application/merge-patch+json") =>
        new(HttpMethod.Patch, $"/v1/folders/{id}") { Content = new StringContent(json, System.Text.Encoding.UTF8, mediaType) };
}
