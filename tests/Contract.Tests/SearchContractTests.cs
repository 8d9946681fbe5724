using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.Contract.Tests.Spec;
using Vectros.Grains.Indexing;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>
/// <c>POST /v1/search</c> over real HTTP: each status against the spec's SearchResponse (0.31) and against the 0.40
/// shape (hasMore, externalId; Delta040/search.yaml), with the 0.40 <c>scope</c> filter in the request.
/// </summary>
public sealed class SearchContractTests : ApiTestBase
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await ChunkSeeder.SeedAsync(Server.Services.GetRequiredService<NpgsqlDataSource>(), Server.Services.GetRequiredService<IEmbedder>(), Partner.TestTenantId,
        [
            new ChunkSeed("Patient intake form for diabetes screening.") { ExternalId = "intake-1", Metadata = new { clinic = "north" }, Scopes = ["team:blue"] },
            new ChunkSeed("Diabetes follow-up record.") { SourceKind = "record", TypeName = "visit" },
            new ChunkSeed("Unrelated garden notes."),
        ]);
    }

    [SpecFact]
    public async Task Search_answers_in_the_spec_shapes()
    {
        foreach (var mode in new[] { "HYBRID", "SEMANTIC", "TEXT" })
        {
            await ContractAssert.MatchesResponseAsync("searchContent",
                await Client.PostAsJsonAsync("/v1/search", new { query = "patient intake form diabetes", mode, textMode = "OR", limit = 2 }));
        }

        await ContractAssert.MatchesResponseAsync("searchContent", await Client.PostAsJsonAsync("/v1/search", new
        {
            query = "diabetes",
            mode = "TEXT",
            uniqueDocuments = true,
            contentTypes = new[] { "documents" },
            createdAfter = "2020-01-01T00:00:00Z",
            orgId = Guid.NewGuid(),
        }));
        await ContractAssert.MatchesResponseAsync("searchContent", await Client.PostAsJsonAsync("/v1/search", new { query = "" }));
        await ContractAssert.MatchesResponseAsync("searchContent", await Client.PostAsJsonAsync("/v1/search", new { query = "x", limit = 101 }));
        await ContractAssert.MatchesResponseAsync("searchContent", await Client.PostAsJsonAsync("/v1/search", new { query = "x", filters = new { nope = 1 } }));
    }

    [Fact]
    public async Task Search_answers_in_the_0_40_shapes()
    {
        var scoped = await Client.PostAsJsonAsync("/v1/search", new { query = "diabetes intake", scope = "team:blue" });
        Assert.Equal(HttpStatusCode.OK, scoped.StatusCode);
        var body = await scoped.Content.ReadAsStringAsync();
        ContractAssert.MatchesDelta("SearchResponse040", body);
        Assert.Contains("\"externalId\":\"intake-1\"", body);

        foreach (var mode in new[] { "HYBRID", "SEMANTIC", "TEXT" })
        {
            ContractAssert.MatchesDelta("SearchResponse040", await (await Client.PostAsJsonAsync("/v1/search", new { query = "diabetes", mode, limit = 1 })).Content.ReadAsStringAsync());
        }

        var error = await Client.PostAsJsonAsync("/v1/search", new { query = "x", scope = "not a scope" });
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        ContractAssert.MatchesDelta("ErrorResponse040", await error.Content.ReadAsStringAsync());
    }
}
