using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// <c>GET|POST /v1/documents/lookup</c> (spec L2006, L2103): a lookup field of the type's schema (exact, range,
/// prefix) or the built-in <c>externalId</c>, single-field only, paged and ordered like record lookups.
/// </summary>
public sealed class DocumentLookupTests : DocumentTestBase
{
    private async Task<List<string>> SeedAsync()
    {
        await CreateDocumentSchemaAsync("invoice",
            [new { fieldId = "po", fieldType = "string" }, new { fieldId = "amount", fieldType = "number" }, new { fieldId = "region", fieldType = "string" }],
            [new { fieldName = "po", rangeEnabled = true }, new { fieldName = "amount", rangeEnabled = true }, "region"]);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(Id(await IngestAsync(new
            {
                title = $"Invoice {i}",
                text = "t",
                typeName = "invoice",
                externalId = $"inv-{i}",
                payload = new { po = $"PO-2024-{i}", amount = 100 + i, region = i < 3 ? "eu" : "us" },
            })));
        }

        return ids;
    }

    [Fact]
    public async Task Exact_values_match_through_both_variants_and_page()
    {
        var ids = await SeedAsync();
        var get = await ExpectAsync(await Client.GetAsync("/v1/documents/lookup?type=invoice&field=region&value=eu&limit=2"), HttpStatusCode.OK);
        Assert.Equal(ids.Take(2), Ids(get));
        var next = get.GetProperty("nextCursor").GetString();
        var rest = await ExpectAsync(await Client.GetAsync($"/v1/documents/lookup?type=invoice&field=region&value=eu&limit=2&startFrom={Uri.EscapeDataString(next!)}"), HttpStatusCode.OK);
        Assert.Equal([ids[2]], Ids(rest));

        var post = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents/lookup", new { type = "invoice", field = "region", value = "us", order = "desc" }), HttpStatusCode.OK);
        Assert.Equal([ids[4], ids[3]], Ids(post));
        var number = await ExpectAsync(await Client.GetAsync("/v1/documents/lookup?type=invoice&field=amount&value=102.0"), HttpStatusCode.OK);
        Assert.Equal([ids[2]], Ids(number));
    }

    [Fact]
    public async Task External_ids_are_a_built_in_lookup_field()
    {
        var ids = await SeedAsync();
        Assert.Equal([ids[3]], Ids(await ExpectAsync(await Client.GetAsync("/v1/documents/lookup?type=invoice&field=externalId&value=inv-3"), HttpStatusCode.OK)));
        Assert.Equal([ids[1]], Ids(await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents/lookup",
            new { type = "invoice", field = "externalId", value = "inv-1" }), HttpStatusCode.OK)));
        Assert.Empty(Ids(await ExpectAsync(await Client.GetAsync("/v1/documents/lookup?type=invoice&field=externalId&value=nope"), HttpStatusCode.OK)));
        var prefix = await ExpectAsync(await Client.GetAsync("/v1/documents/lookup?type=invoice&field=externalId&prefix=inv"), HttpStatusCode.BadRequest);
        Assert.Equal("prefix", prefix.GetProperty("details").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Range_and_prefix_lookups_need_a_range_enabled_field()
    {
        var ids = await SeedAsync();
        Assert.Equal(ids.Skip(1).Take(3), Ids(await ExpectAsync(await Client.GetAsync("/v1/documents/lookup?type=invoice&field=amount&from=101&to=103"), HttpStatusCode.OK)));
        Assert.Equal([ids[3], ids[2]], Ids(await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents/lookup",
            new { type = "invoice", field = "po", from = "PO-2024-2", to = "PO-2024-3", order = "desc" }), HttpStatusCode.OK)));
        var page = await ExpectAsync(await Client.GetAsync("/v1/documents/lookup?type=invoice&field=po&prefix=PO-2024&limit=4"), HttpStatusCode.OK);
        Assert.Equal(ids.Take(4), Ids(page));
        var tail = await ExpectAsync(await Client.GetAsync(
            $"/v1/documents/lookup?type=invoice&field=po&prefix=PO-2024&limit=4&startFrom={Uri.EscapeDataString(page.GetProperty("nextCursor").GetString()!)}"), HttpStatusCode.OK);
        Assert.Equal([ids[4]], Ids(tail));

        var notRange = await ExpectAsync(await Client.GetAsync("/v1/documents/lookup?type=invoice&field=region&prefix=e"), HttpStatusCode.BadRequest);
        Assert.Equal("field", notRange.GetProperty("details").GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("/v1/documents/lookup?field=region&value=eu", "type")]
    [InlineData("/v1/documents/lookup?type=invoice&value=eu", "field")]
    [InlineData("/v1/documents/lookup?type=invoice&field=nope&value=eu", "field")]
    [InlineData("/v1/documents/lookup?type=invoice&field=region", "value")]
    [InlineData("/v1/documents/lookup?type=invoice&field=region&value=eu&prefix=e", "value")]
    [InlineData("/v1/documents/lookup?type=invoice&field=amount&from=1", "to")]
    [InlineData("/v1/documents/lookup?type=invoice&field=amount&from=x&to=2", "from")]
    [InlineData("/v1/documents/lookup?type=invoice&field=region&value=eu&order=up", "order")]
    [InlineData("/v1/documents/lookup?type=invoice&field=region&value=eu&limit=0", "limit")]
    [InlineData("/v1/documents/lookup?type=ghost&field=region&value=eu", "type")]
    [InlineData("/v1/documents/lookup?type=invoice&field=region&value=eu&startFrom=abc", "startFrom")]
    public async Task Bad_lookups_are_400s_naming_the_parameter(string url, string field)
    {
        await SeedAsync();
        var refused = await ExpectAsync(await Client.GetAsync(url), HttpStatusCode.BadRequest);
        Assert.Equal(field, refused.GetProperty("details").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Record_only_lookup_members_are_refused_in_the_body()
    {
        await SeedAsync();
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { type = "invoice", field = "region", values = new[] { "eu" } }, "$.values"),
                     (new { type = "invoice", field = "region", value = "eu", includePayload = true }, "$.includePayload"),
                     (new { type = "invoice", field = "region", value = "eu", limit = 101 }, "limit"),
                 })
        {
            var refused = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents/lookup", body), HttpStatusCode.BadRequest);
            Assert.Equal(field, refused.GetProperty("details").GetProperty("field").GetString());
        }
    }
}
