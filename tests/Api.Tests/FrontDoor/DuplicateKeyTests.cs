using System.Net;
using System.Text;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.FrontDoor;

/// <summary>
/// Every endpoint that reads a body reads it through the one reader (JsonBody with ApiJson.Request), so a duplicate
/// member, a wrong type or an unknown field is a 400 naming the field on every family alike, never a 500 or a silent
/// "last one wins" (issue #9 item 10).
/// </summary>
public sealed class DuplicateKeyTests : ApiTestBase
{
    private static readonly string AnyId = Guid.NewGuid().ToString();

    public static TheoryData<string, string, string, string> Bodies => new()
    {
        // method, route, body, the field the 400 must name
        { "POST", "/v1/records", """{"typeName":"note","typeName":"other","payload":{}}""", "$.typeName" },
        { "POST", "/v1/records", """{"typeName":"note","payload":{"topic":"a","topic":"b"}}""", "$.payload.topic" },
        { "PUT", $"/v1/records/{AnyId}", """{"payload":{},"payload":{}}""", "$.payload" },
        { "PATCH", $"/v1/records/{AnyId}", """{"payload":{"a":1,"a":2}}""", "$.payload.a" },
        { "POST", "/v1/records/lookup", """{"type":"note","type":"x","field":"topic","value":"a"}""", "$.type" },
        { "POST", "/v1/documents", """{"title":"t","title":"u","text":"c"}""", "$.title" },
        { "PUT", $"/v1/documents/{AnyId}", """{"text":"c","text":"d"}""", "$.text" },
        { "PATCH", $"/v1/documents/{AnyId}", """{"title":"t","title":"u"}""", "$.title" },
        { "POST", "/v1/documents/upload", """{"fileName":"a.txt","fileName":"b.txt"}""", "$.fileName" },
        { "POST", "/v1/documents/lookup", """{"type":"d","type":"e"}""", "$.type" },
        { "POST", "/v1/folders", """{"name":"a","name":"b"}""", "$.name" },
        { "PUT", $"/v1/folders/{AnyId}", """{"name":"a","name":"b"}""", "$.name" },
        { "PATCH", $"/v1/folders/{AnyId}", """{"name":"a","name":"b"}""", "$.name" },
        { "POST", "/v1/schemas", """{"typeName":"dup","typeName":"dup2","displayName":"D","fields":[]}""", "$.typeName" },
        { "PUT", "/v1/schemas/{schemaId}", """{"displayName":"D","displayName":"E"}""", "$.displayName" },
        { "POST", "/v1/app-contexts", """{"contextId":"dupctx","contextId":"dupctx2","name":"n"}""", "$.contextId" },
        { "PUT", "/v1/app-contexts/dupctx", """{"name":"n","name":"m"}""", "$.name" },
        { "POST", "/v1/entities/org", """{"externalId":"a","externalId":"b","name":"n"}""", "$.externalId" },
        { "PUT", $"/v1/entities/org/{AnyId}", """{"name":"n","name":"m"}""", "$.name" },
        { "POST", "/v1/entities/org/lookup", """{"field":"externalId","field":"name","value":"x"}""", "$.field" },
        { "POST", "/v1/namespaces", """{"namespace":"team","namespace":"crew"}""", "$.namespace" },
        { "PUT", "/v1/namespaces/team", """{"description":"a","description":"b"}""", "$.description" },
        { "POST", "/v1/search", """{"query":"a","query":"b"}""", "$.query" },
        { "POST", "/v1/orgs", """{"externalId":"a","externalId":"b","name":"n"}""", "$.externalId" },
        { "PUT", $"/v1/orgs/{AnyId}", """{"name":"n","name":"m"}""", "$.name" },
        { "POST", "/v1/orgs/lookup", """{"field":"name","field":"name","value":"x"}""", "$.field" },
        { "POST", "/v1/clients", """{"externalId":"a","externalId":"b","name":"n"}""", "$.externalId" },
        { "PUT", $"/v1/clients/{AnyId}", """{"name":"n","name":"m"}""", "$.name" },
        { "POST", "/v1/users", """{"externalId":"a","externalId":"b"}""", "$.externalId" },
        { "POST", "/v1/clients/lookup", """{"field":"name","field":"name","value":"x"}""", "$.field" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_duplicate_member_is_a_400_naming_it_and_writes_nothing(string method, string route, string json, string field)
    {
        if (route.Contains("{schemaId}", StringComparison.Ordinal))
        {
            // Schema PUT finds the schema before it reads the body, so it needs one that exists.
            var schema = await CreateSchemaAsync(new { typeName = "dupnote", displayName = "D", fields = Array.Empty<object>() });
            route = route.Replace("{schemaId}", schema.GetProperty("id").GetString(), StringComparison.Ordinal);
        }

        var before = await CountRowsAsync();
        await AssertRefusedAsync(method, route, json, field);
        Assert.Equal(before, await CountRowsAsync());
    }

    [Theory]
    [InlineData("POST", "/v1/records", """{"typeName":5,"payload":{}}""", "$.typeName")]
    [InlineData("POST", "/v1/records", """{"typeName":"note","payload":{},"colour":"red"}""", "$.colour")]
    [InlineData("POST", "/v1/documents", """{"title":"t","text":"c","colour":"red"}""", "$.colour")]
    [InlineData("POST", "/v1/folders", """{"name":5}""", "$.name")]
    [InlineData("POST", "/v1/folders", """{"name":"x","colour":"red"}""", "$.colour")]
    [InlineData("POST", "/v1/schemas", """{"typeName":"t","displayName":"D","fields":[],"colour":"red"}""", "$.colour")]
    [InlineData("POST", "/v1/search", """{"query":5}""", "$.query")]
    [InlineData("POST", "/v1/orgs", """{"externalId":"a","name":"n","colour":"red"}""", "$.colour")]
    [InlineData("POST", "/v1/namespaces", """{"namespace":["team"]}""", "$.namespace")]
    public async Task Wrong_types_and_unknown_fields_are_400s_naming_the_field(string method, string route, string json, string field)
    {
        var before = await CountRowsAsync();
        await AssertRefusedAsync(method, route, json, field);
        Assert.Equal(before, await CountRowsAsync());
    }

    /// <remarks>
    /// Typed bodies name a field by its JSON path (<c>$.name</c>); the hand-written readers of records, documents and
    /// schemas name it without the <c>$.</c> (<c>payload.topic</c>), as their rule errors always have. Both are accepted.
    /// </remarks>
    private async Task AssertRefusedAsync(string method, string route, string json, string field)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), route)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        var response = await Client.SendAsync(request);
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {route}: {response.StatusCode} {body}");
        Assert.Equal("VALIDATION_ERROR", body.GetProperty("errorCode").GetString());
        Assert.True(body.TryGetProperty("details", out var details), $"{method} {route}: {body}");
        var named = details.GetProperty("field").GetString()!;
        Assert.Equal(field[2..], named.StartsWith("$.", StringComparison.Ordinal) ? named[2..] : named);
        Assert.Contains(field[2..], body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The tenant's rows in every table a body could write to (some are seeded, so the test compares).</summary>
    private async Task<string> CountRowsAsync()
    {
        var counts = new List<string>();
        foreach (var table in new[] { "records", "documents", "folders", "schemas", "entities", "namespaces", "app_contexts", "upload_tickets" })
        {
            await using var cmd = Db.CreateCommand($"SELECT count(*) FROM {table} WHERE tenant_id = $1");
            cmd.Parameters.AddWithValue(Partner.TestTenantId);
            counts.Add($"{table}={await cmd.ExecuteScalarAsync()}");
        }

        return string.Join(", ", counts);
    }
}
