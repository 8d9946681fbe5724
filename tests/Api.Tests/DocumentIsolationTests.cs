using System.Net;
using System.Net.Http.Json;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Errors;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Another tenant's or context's document id answers exactly like a missing id, for every verb (DESIGN §5).</summary>
public sealed class DocumentIsolationTests : DocumentTestBase
{
    private async Task<string> SeedAsync()
    {
        await CreateDocumentSchemaAsync("note", [new { fieldId = "code", fieldType = "string" }], ["code"]);
        return Id(await IngestAsync(new { title = "Mine", text = "secret body", typeName = "note", externalId = "n-1", payload = new { code = "c-1" } }));
    }

    [Fact]
    public async Task Another_partner_sees_the_same_404_as_for_a_missing_id()
    {
        var id = await SeedAsync();
        var partner = await Server.CreatePartnerAsync("other");
        using var other = Server.CreateClient(partner.TestKey.RawKey);
        await AssertInvisibleAsync(other, id);
    }

    [Fact]
    public async Task The_same_partners_live_key_sees_the_same_404_as_for_a_missing_id()
    {
        var id = await SeedAsync();
        using var other = Server.CreateClient(Partner.LiveKey.RawKey);
        await AssertInvisibleAsync(other, id);
    }

    [Fact]
    public async Task Another_context_of_the_same_tenant_sees_nothing()
    {
        var id = await SeedAsync();
        var elsewhere = new CallerContext(Partner.TestTenantId, "elsewhere", "key_x", IsRoot: true, []);
        var grain = Grains.GetGrain<IDocumentGrain>(elsewhere.KeyFor(id));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.GetAsync(elsewhere));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.GetTextAsync(elsewhere));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.UpdateAsync(elsewhere, new DocumentWrite { Title = "x" }));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.PatchAsync(elsewhere, new DocumentPatch { Title = "x" }));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.DeleteAsync(elsewhere));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.GetVersionsAsync(elsewhere, null, 20));

        // A caller whose context is not the grain's is refused even on the right key.
        var home = Grains.GetGrain<IDocumentGrain>(RootCaller.KeyFor(id));
        await Assert.ThrowsAsync<NotFoundException>(() => home.GetAsync(elsewhere));

        var page = await Grains.GetGrain<IDocumentQueryGrain>(elsewhere.ContextKey).ListAsync(elsewhere, new DocumentListQuery());
        Assert.Empty(page.Data);
        Assert.Equal("Mine", (await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK)).GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("x'%3B DROP TABLE documents%3B --")]
    public async Task Malformed_and_unknown_ids_are_404(string id)
    {
        foreach (var call in Verbs(Client))
        {
            await ExpectAsync(await call(id), HttpStatusCode.NotFound);
        }
    }

    private async Task AssertInvisibleAsync(HttpClient other, string id)
    {
        await CreateDocumentSchemaAsync("note", [new { fieldId = "code", fieldType = "string" }], ["code"], client: other);
        var missing = Guid.CreateVersion7().ToString();
        foreach (var call in Verbs(other))
        {
            Assert.Equal(await NotFoundBodyAsync(await call(missing)), await NotFoundBodyAsync(await call(id)));
        }

        Assert.Empty(Ids(await ExpectAsync(await other.GetAsync("/v1/documents/lookup?type=note&field=code&value=c-1"), HttpStatusCode.OK)));
        Assert.Empty(Ids(await ExpectAsync(await other.GetAsync("/v1/documents/lookup?type=note&field=externalId&value=n-1"), HttpStatusCode.OK)));
        Assert.Empty(Ids(await ExpectAsync(await other.GetAsync("/v1/documents"), HttpStatusCode.OK)));

        // Its create with the same externalId makes its own document.
        var mine = await IngestAsync(new { title = "Theirs", text = "t", typeName = "note", externalId = "n-1" }, other);
        Assert.NotEqual(id, Id(mine));

        var owner = await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK);
        Assert.Equal("Mine", owner.GetProperty("title").GetString());
        Assert.Equal(1, owner.GetProperty("version").GetInt64());
    }

    /// <summary>Every verb on <c>/v1/documents/{id}</c>, as a call taking the id.</summary>
    private static IEnumerable<Func<string, Task<HttpResponseMessage>>> Verbs(HttpClient client) =>
    [
        id => client.GetAsync($"/v1/documents/{id}"),
        id => client.PutAsJsonAsync($"/v1/documents/{id}", new { title = "x" }),
        id => client.PatchAsync($"/v1/documents/{id}", JsonContent.Create(new { title = "x" })),
        id => client.DeleteAsync($"/v1/documents/{id}"),
        id => client.GetAsync($"/v1/documents/{id}/text"),
        id => client.GetAsync($"/v1/documents/{id}/versions"),
    ];

    private static async Task<string> NotFoundBodyAsync(HttpResponseMessage response)
    {
        var body = await ExpectAsync(response, HttpStatusCode.NotFound);
        return body.GetProperty("errorCode").GetString() + "|" + body.GetProperty("message").GetString();
    }
}
