using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;
using Xunit.Sdk;

namespace Vectros.Contract.Tests;

/// <summary>
/// The 0.40 lookup shapes (Delta040/lookups.yaml): LookupDef with <c>fieldName</c> or <c>fieldNames</c> in schema
/// responses, and RecordLookupPage for composite, windowed and <c>externalId</c> lookups; the 0.31 responses of the
/// same operations still match the spec.
/// </summary>
public sealed class LookupContractTests : ApiTestBase
{
    private async Task<JsonElement> SchemaAsync()
    {
        var response = await Client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "ticket",
            displayName = "Ticket",
            fields = new object[]
            {
                new { fieldId = "status", fieldType = "string" },
                new { fieldId = "area", fieldType = "string" },
                new { fieldId = "seq", fieldType = "number" },
            },
            lookupFields = new object[]
            {
                new { fieldNames = new[] { "status", "area" }, sortBy = "seq" },
                new { fieldName = "seq", rangeEnabled = true },
                "area",
            },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string> PageAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        return body;
    }

    [Fact]
    public async Task Schema_responses_carry_each_lookup_as_a_040_LookupDef()
    {
        var created = await SchemaAsync();
        var id = created.GetProperty("id").GetString();
        var read = await Client.GetFromJsonAsync<JsonElement>($"/v1/schemas/{id}");
        foreach (var schema in new[] { created, read })
        {
            var lookups = schema.GetProperty("lookupFields").EnumerateArray().ToList();
            Assert.Equal(3, lookups.Count);
            foreach (var lookup in lookups)
            {
                ContractAssert.MatchesDelta("LookupDef040", lookup.GetRawText());
            }

            ContractAssert.MatchesDelta("CompositeLookupDef040", lookups[0].GetRawText());
            ContractAssert.MatchesDelta("SingleLookupDef040", lookups[1].GetRawText());
        }
    }

    [Fact]
    public async Task Lookup_pages_match_RecordLookupPage_for_every_040_mode()
    {
        await SchemaAsync();
        for (var i = 0; i < 3; i++)
        {
            var created = await Client.PostAsJsonAsync("/v1/records", new { typeName = "ticket", externalId = $"t-{i}", payload = new { status = "open", area = "billing", seq = i } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var bodies = new object[]
        {
            new { type = "ticket", field = "status,area", values = new[] { "open", "billing" }, sortFrom = "1", sortTo = "2" },
            new { type = "ticket", field = "status,area", values = new[] { "open" }, limit = 1 },
            new { type = "ticket", field = "area", values = new[] { "billing" }, order = "desc" },
            new { type = "ticket", field = "externalId", value = "t-1", sortFrom = "0" },
        };
        foreach (var body in bodies)
        {
            ContractAssert.MatchesDelta("RecordLookupRequest040", JsonSerializer.Serialize(body));
            ContractAssert.MatchesDelta("RecordLookupPage", await PageAsync(await Client.PostAsJsonAsync("/v1/records/lookup", body)));
        }

        var page = await PageAsync(await Client.GetAsync("/v1/records/lookup?type=ticket&field=status,area&values=open&values=billing&sortFrom=0&limit=2"));
        ContractAssert.MatchesDelta("RecordLookupPage", page);
        var cursor = JsonDocument.Parse(page).RootElement.GetProperty("nextCursor").GetString();
        Assert.NotNull(cursor);
        ContractAssert.MatchesDelta("RecordLookupPage", await PageAsync(await Client.GetAsync(
            $"/v1/records/lookup?type=ticket&field=status,area&values=open&values=billing&sortFrom=0&limit=2&startFrom={Uri.EscapeDataString(cursor!)}")));
    }

    [Fact]
    public async Task Errors_of_the_040_parameters_use_the_040_error_body()
    {
        await SchemaAsync();
        foreach (var query in new[] { "field=status,area&values=a&value=a", "field=seq&value=1&sortFrom=1", "field=status,area&values=open&sortTo=1" })
        {
            var response = await Client.GetAsync("/v1/records/lookup?type=ticket&" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            ContractAssert.MatchesDelta("ErrorResponse040", await response.Content.ReadAsStringAsync());
        }
    }

    [SpecFact]
    public async Task The_031_operations_still_match_the_spec_beside_the_040_parameters()
    {
        await SchemaAsync();
        await Client.PostAsJsonAsync("/v1/records", new { typeName = "ticket", payload = new { status = "open", area = "billing", seq = 1 } });
        await ContractAssert.MatchesResponseAsync("lookupRecords", await Client.GetAsync("/v1/records/lookup?type=ticket&field=area&value=billing"));
        await ContractAssert.MatchesResponseAsync("lookupRecords", await Client.GetAsync("/v1/records/lookup?type=ticket&field=status,area&values=open&values=billing&sortFrom=0"));
        await ContractAssert.MatchesResponseAsync("lookupRecords", await Client.GetAsync("/v1/records/lookup?type=ticket&field=status,area&values=open&sortFrom=0"));
        await ContractAssert.MatchesResponseAsync("lookupRecordsByBody",
            await Client.PostAsJsonAsync("/v1/records/lookup", new { type = "ticket", field = "status,area", values = new[] { "open" } }));
    }

    [Fact]
    public void The_LookupDef_shape_takes_exactly_one_of_fieldName_and_fieldNames()
    {
        ContractAssert.MatchesDelta("LookupDef040", """{"fieldName":"email","unique":true}""");
        ContractAssert.MatchesDelta("LookupDef040", """{"fieldNames":["status","area"],"unique":false,"rangeEnabled":false,"sortBy":"createdAt"}""");
        Assert.Throws<XunitException>(() => ContractAssert.MatchesDelta("LookupDef040", """{"fieldName":"a","fieldNames":["a","b"]}"""));
        Assert.Throws<XunitException>(() => ContractAssert.MatchesDelta("LookupDef040", """{"unique":true}"""));
        Assert.Throws<XunitException>(() => ContractAssert.MatchesDelta("LookupDef040", """{"fieldNames":["a"]}"""));
        Assert.Throws<XunitException>(() => ContractAssert.MatchesDelta("LookupDef040", """{"fieldNames":["a","b"],"unique":true}"""));
        Assert.Throws<XunitException>(() => ContractAssert.MatchesDelta("RecordLookupPage", """{"data":[{"id":"x"}],"nextCursor":null}"""));
    }
}
