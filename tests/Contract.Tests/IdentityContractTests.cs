using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;
using Xunit.Sdk;

namespace Vectros.Contract.Tests;

/// <summary>
/// The 0.40 namespace and entity operations (API-DELTA-0.40 §8.2, §8.3), over real HTTP, against the shapes of
/// <c>Delta040/identity.yaml</c>. These shapes live in the repository, so these tests always run.
/// </summary>
public sealed class IdentityContractTests : ApiTestBase
{
    [Fact]
    public async Task Namespace_operations_answer_the_namespace_shapes()
    {
        await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "shapes", name = "Shapes" });
        var registered = await Client.PostAsJsonAsync("/v1/namespaces", new
        {
            @namespace = "team", specificityRank = 1500, entityBacked = true, defaultSchemaId = Guid.NewGuid(),
            membershipRecordType = "member", membershipTargetField = "teamId", membershipContextId = "shapes",
            membershipLevelField = "role", membershipLevels = new[] { "admin" },
        });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        await MatchesAsync("NamespaceResponse", registered);

        var owned = await Client.PostAsJsonAsync("/v1/namespaces?contextId=shapes", new { @namespace = "squad", specificityRank = 1600 });
        Assert.Equal(HttpStatusCode.Created, owned.StatusCode);
        await MatchesAsync("NamespaceResponse", owned);

        await MatchesAsync("NamespaceResponse", await Client.GetAsync("/v1/namespaces/org"));
        await MatchesAsync("NamespaceResponse", await Client.GetAsync("/v1/namespaces/squad?contextId=shapes"));
        await MatchesAsync("NamespaceResponse", await Client.PutAsJsonAsync("/v1/namespaces/team", new { specificityRank = 1501 }));
        await MatchesAsync("NamespacePage", await Client.GetAsync("/v1/namespaces?limit=1"));
        await MatchesAsync("NamespacePage", await Client.GetAsync("/v1/namespaces?contextId=shapes"));

        await MatchesAsync("ErrorResponse040", await Client.PostAsJsonAsync("/v1/namespaces", new { @namespace = "team", specificityRank = 7 }), HttpStatusCode.Conflict);
        await MatchesAsync("ErrorResponse040", await Client.PostAsJsonAsync("/v1/namespaces", new { @namespace = "user", specificityRank = 7 }), HttpStatusCode.BadRequest);
        await MatchesAsync("ErrorResponse040", await Client.GetAsync("/v1/namespaces/missing"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/v1/namespaces/squad?contextId=shapes")).StatusCode);
    }

    [Fact]
    public async Task Entity_operations_answer_the_entity_shapes()
    {
        var org = await Client.PostAsJsonAsync("/v1/entities/org", new { externalId = "acme", name = "Acme", payload = new { tier = "gold" } });
        Assert.Equal(HttpStatusCode.Created, org.StatusCode);
        var orgId = (await MatchesAsync("EntityResponse", org)).GetProperty("id").GetString();

        var client = await Client.PostAsJsonAsync("/v1/entities/client", new { externalId = "jane", scopes = new[] { $"org:{orgId}" } });
        var clientId = (await MatchesAsync("EntityResponse", client)).GetProperty("id").GetString();
        await MatchesAsync("EntityResponse", await Client.PostAsJsonAsync("/v1/entities/client", new { externalId = "jane" }));
        await MatchesAsync("EntityResponse", await Client.PostAsJsonAsync("/v1/entities/client?upsert=true", new { externalId = "jane", name = "Jane" }));
        await MatchesAsync("EntityResponse", await Client.GetAsync($"/v1/entities/client/{clientId}"));
        await MatchesAsync("EntityResponse", await Client.PutAsJsonAsync($"/v1/entities/client/{clientId}", new { status = "SUSPENDED" }));
        await MatchesAsync("EntityPage", await Client.GetAsync("/v1/entities/client"));
        await MatchesAsync("EntityPage", await Client.GetAsync($"/v1/entities/client?scope=org:{orgId}&limit=1"));
        await MatchesAsync("EntityPage", await Client.GetAsync("/v1/entities/client?externalId=nobody"));

        await Client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "person_v1", displayName = "Person", allowedSurfaces = new[] { "entity" },
            fields = new object[] { new { fieldId = "email", fieldType = "string" } },
            lookupFields = new object[] { "email" },
        });
        await MatchesAsync("EntityPage", await Client.PostAsJsonAsync("/v1/entities/client/lookup", new { type = "person_v1", field = "email", value = "x" }));

        await MatchesAsync("ErrorResponse040", await Client.DeleteAsync("/v1/namespaces/org"), HttpStatusCode.Conflict);
        await MatchesAsync("ErrorResponse040", await Client.PostAsJsonAsync("/v1/entities/client", new { name = "no id" }), HttpStatusCode.BadRequest);
        await MatchesAsync("ErrorResponse040", await Client.GetAsync($"/v1/entities/org/{clientId}"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/entities/client/{clientId}")).StatusCode);
    }

    [Fact]
    public void The_shapes_reject_what_0_40_clients_could_not_read()
    {
        // A tenant-wide registration must say so with an explicit null, and an entity's parents follow the scope grammar.
        Assert.Throws<XunitException>(() => ContractAssert.MatchesDelta("NamespaceResponse",
            """{"namespace":"team","specificityRank":1,"entityBacked":true,"reserved":false,"createdAt":"2026-01-01T00:00:00.000Z"}"""));
        Assert.Throws<XunitException>(() => ContractAssert.MatchesDelta("EntityResponse",
            $$"""{"id":"{{Guid.NewGuid()}}","namespace":"org","externalId":"a","status":"ACTIVE","payload":{},"scopes":["Org:x"],"createdAt":"2026-01-01T00:00:00.000Z"}"""));
        Assert.Throws<XunitException>(() => ContractAssert.MatchesDelta("EntityResponse",
            $$"""{"id":"{{Guid.NewGuid()}}","namespace":"org","externalId":"a","status":"ACTIVE","payload":{},"scopes":[],"orgId":"x","createdAt":"2026-01-01T00:00:00.000Z"}"""));
    }

    private static async Task<JsonElement> MatchesAsync(string shape, HttpResponseMessage response, HttpStatusCode? status = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (status is { } expected)
        {
            Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        }
        else
        {
            Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {body}");
        }

        ContractAssert.MatchesDelta(shape, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
