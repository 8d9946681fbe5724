using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.Grains.Indexing;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Helpers of the search test classes: seeding the index, searching over HTTP, reading results.</summary>
public abstract class SearchTestBase : ApiTestBase
{
    /// <summary>Seeds chunks for this class's partner (test tenant, <c>default</c> context unless a seed says otherwise).</summary>
    protected Task SeedAsync(params ChunkSeed[] seeds) =>
        ChunkSeeder.SeedAsync(Db, Server.Services.GetRequiredService<IEmbedder>(), Partner.TestTenantId, seeds);

    /// <summary>POST /v1/search; asserts 200 and returns the body.</summary>
    protected async Task<JsonElement> SearchAsync(object request, HttpClient? client = null)
    {
        var (status, body) = await TrySearchAsync(request, client);
        Assert.True(status == HttpStatusCode.OK, $"{status}: {body}");
        return body;
    }

    protected async Task<(HttpStatusCode Status, JsonElement Body)> TrySearchAsync(object request, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/v1/search", request);
        return (response.StatusCode, await JsonAsync(response));
    }

    /// <summary>Asserts a 400 whose error names <paramref name="field"/> (details.field, or the message).</summary>
    protected async Task<JsonElement> ExpectBadRequestAsync(object request, string field)
    {
        var (status, body) = await TrySearchAsync(request);
        Assert.True(status == HttpStatusCode.BadRequest, $"{status}: {body}");
        var named = body.TryGetProperty("details", out var details) && details.TryGetProperty("field", out var f) ? f.GetString() : null;
        Assert.True(
            named == field || body.GetProperty("message").GetString()!.Contains(field, StringComparison.Ordinal),
            $"expected the error to name '{field}': {body}");
        return body;
    }

    protected static List<JsonElement> Results(JsonElement response) => [.. response.GetProperty("results").EnumerateArray()];

    /// <summary>The source ids of the results, in order.</summary>
    protected static List<Guid> Ids(JsonElement response) =>
        [.. Results(response).Select(r => Guid.Parse(r.GetProperty("documentId").GetString()!))];

    protected async Task ExecuteAsync(string sql, params object?[] args)
    {
        await using var cmd = Db.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg ?? DBNull.Value });
        }

        await cmd.ExecuteNonQueryAsync();
    }
}
