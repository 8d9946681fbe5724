using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Helpers shared by the record test classes: schemas and records over HTTP, and the rows a write left behind.</summary>
public abstract class RecordTestBase : ApiTestBase
{
    /// <summary>A bare schema: type name and display name only (payloads are stored as they are).</summary>
    protected Task<JsonElement> CreateBareSchemaAsync(string typeName, HttpClient? client = null) =>
        CreateSchemaAsync(new { typeName, displayName = typeName }, client);

    /// <summary>Creates a record and asserts 201; returns its body.</summary>
    protected async Task<JsonElement> CreateRecordAsync(object request, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/v1/records", request);
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {body}");
        return body;
    }

    protected static string Id(JsonElement record) => record.GetProperty("id").GetString()!;

    /// <summary>A folder row in the given context (straight into the table: folders are not this class's subject).</summary>
    protected async Task<Guid> InsertFolderAsync(string? tenantId = null, string contextId = "default")
    {
        var id = Guid.CreateVersion7();
        await ExecuteAsync(
            """
            INSERT INTO folders (tenant_id, context_id, folder_id, parent_id, name, slug, depth)
            VALUES ($1, $2, $3, $4, 'Test folder', $5, 1)
            """,
            tenantId ?? Partner.TestTenantId, contextId, id, Guid.CreateVersion7(), "f-" + id.ToString("N"));
        return id;
    }

    /// <summary>Rows of every table a record write touches, for this partner's test tenant.</summary>
    protected async Task<RowCounts> CountRowsAsync(string? tenantId = null)
    {
        var tenant = tenantId ?? Partner.TestTenantId;
        return new RowCounts(
            await ScalarAsync("SELECT count(*) FROM records WHERE tenant_id = $1", tenant),
            await ScalarAsync("SELECT count(*) FROM record_lookups WHERE tenant_id = $1", tenant),
            await ScalarAsync("SELECT count(*) FROM record_references WHERE tenant_id = $1", tenant),
            await ScalarAsync("SELECT count(*) FROM entity_versions WHERE tenant_id = $1 AND entity_kind = 'record'", tenant),
            await ScalarAsync($"SELECT count(*) FROM {OutboxLog.Table} WHERE tenant_id = $1 AND kind = 'record.index'", tenant),
            await ScalarAsync("SELECT count(*) FROM record_tombstones WHERE tenant_id = $1", tenant));
    }

    protected async Task<long> ScalarAsync(string sql, params object[] args)
    {
        await using var cmd = Db.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected async Task<string> TextAsync(string sql, params object[] args)
    {
        await using var cmd = Db.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return (await cmd.ExecuteScalarAsync())?.ToString() ?? "";
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

    /// <summary>Asserts the status and returns the body (the error body for failures).</summary>
    protected static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    protected static Task<HttpResponseMessage> PatchAsync(HttpClient client, string url, object body) =>
        client.PatchAsync(url, JsonContent.Create(body));

    protected static Task<HttpResponseMessage> PatchRawAsync(HttpClient client, string url, string json) =>
        client.PatchAsync(url, RawJson(json));
}

/// <summary>How many rows a tenant has in each table a record write touches.</summary>
public sealed record RowCounts(long Records, long Lookups, long References, long Versions, long Outbox, long Tombstones);
