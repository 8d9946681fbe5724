using System.Net;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary><c>GET /v1/schemas</c>: cursor pages in type-name order, and the spec's filters (L4104).</summary>
public sealed class SchemaListTests : SchemaTestBase
{
    private static readonly string _alice = "550e8400-e29b-41d4-a716-446655440000";
    private static readonly string _acme = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

    [Fact]
    public async Task Pages_follow_the_cursor_in_type_name_order()
    {
        foreach (var name in new[] { "delta", "alpha", "echo", "charlie", "bravo" })
        {
            await CreateAsync(new { typeName = name, displayName = name });
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var body = await OkAsync($"/v1/schemas?limit=2{(cursor is null ? "" : "&startFrom=" + Uri.EscapeDataString(cursor))}");
            seen.AddRange(body.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("typeName").GetString()!));
            cursor = body.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(["alpha", "bravo", "charlie", "delta", "echo"], seen);
        Assert.Equal(3, pages);

        var all = await OkAsync("/v1/schemas");
        Assert.Equal(5, all.GetProperty("data").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, all.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Filters_by_record_type_surface_and_owner()
    {
        await CreateAsync(new { typeName = "intake", displayName = "Intake", userId = _alice });
        await CreateAsync(new { typeName = "invoice", displayName = "Invoice", allowedSurfaces = new[] { "document" }, orgId = _acme });
        await CreateAsync(new { typeName = "shared", displayName = "Shared", allowedSurfaces = new[] { "record", "document" }, userId = _alice, orgId = _acme });

        Assert.Equal(["intake"], await TypeNamesAsync("recordType=intake"));
        Assert.Empty(await TypeNamesAsync("recordType=missing"));
        Assert.Empty(await TypeNamesAsync("recordType=not%20a%20type"));

        // recordType takes precedence over the owner filters (spec L4144).
        Assert.Equal(["intake"], await TypeNamesAsync($"recordType=intake&orgId={_acme}"));
        Assert.Empty(await TypeNamesAsync("recordType=intake&surface=document"));

        Assert.Equal(["invoice", "shared"], await TypeNamesAsync("surface=document"));
        Assert.Equal(["intake", "shared"], await TypeNamesAsync("surface=record"));
        Assert.Empty(await TypeNamesAsync("surface=user"));
        Assert.Equal(["intake", "shared"], await TypeNamesAsync($"userId={_alice}"));
        Assert.Equal(["invoice", "shared"], await TypeNamesAsync($"orgId={_acme}"));
        Assert.Equal(["shared"], await TypeNamesAsync($"userId={_alice}&orgId={_acme}"));
        Assert.Empty(await TypeNamesAsync($"userId={Guid.NewGuid()}"));
    }

    private async Task<List<string>> TypeNamesAsync(string query) =>
        [.. (await OkAsync($"/v1/schemas?{query}")).GetProperty("data").EnumerateArray().Select(s => s.GetProperty("typeName").GetString()!)];

    private async Task<JsonElement> OkAsync(string url)
    {
        var response = await Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }
}
