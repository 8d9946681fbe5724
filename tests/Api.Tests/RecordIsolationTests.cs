using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Another tenant's (or context's) record id answers exactly like a missing id, for every verb.</summary>
public sealed class RecordIsolationTests : RecordTestBase
{
    private static readonly object _noteSchema = new
    {
        typeName = "note",
        displayName = "Note",
        fields = new object[] { new { fieldId = "code", fieldType = "string" } },
        lookupFields = new object[] { "code" },
    };

    private async Task<(string Live, string Deleted)> SeedAsync()
    {
        await CreateSchemaAsync(_noteSchema);
        var live = Id(await CreateRecordAsync(new { typeName = "note", externalId = "n-1", payload = new { code = "c-1" } }));
        var deleted = Id(await CreateRecordAsync(new { typeName = "note", payload = new { code = "c-2" } }));
        await ExpectAsync(await Client.DeleteAsync($"/v1/records/{deleted}"), HttpStatusCode.NoContent);
        return (live, deleted);
    }

    private async Task AssertInvisibleAsync(HttpClient other, string live, string deleted)
    {
        // The other caller's own type of the same name must not make a difference either.
        await CreateSchemaAsync(_noteSchema, other);
        var missing = Guid.CreateVersion7().ToString();
        foreach (var id in new[] { live, deleted })
        {
            foreach (var call in Verbs(other))
            {
                Assert.Equal(await NotFoundBodyAsync(await call(missing)), await NotFoundBodyAsync(await call(id)));
            }
        }

        var lookup = await ExpectAsync(await other.GetAsync("/v1/records/lookup?type=note&field=code&value=c-1"), HttpStatusCode.OK);
        Assert.Equal(0, lookup.GetProperty("data").GetArrayLength());
        var list = await ExpectAsync(await other.GetAsync("/v1/records?recent=true"), HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("data").GetArrayLength());

        // Its create with the same externalId makes its own record.
        var mine = await CreateRecordAsync(new { typeName = "note", externalId = "n-1" }, other);
        Assert.NotEqual(live, Id(mine));

        // Untouched for the owner.
        var owner = await ExpectAsync(await Client.GetAsync($"/v1/records/{live}"), HttpStatusCode.OK);
        Assert.Equal("ACTIVE", owner.GetProperty("status").GetString());
        Assert.Equal(1, owner.GetProperty("version").GetInt64());
        await ExpectAsync(await Client.GetAsync($"/v1/records/{deleted}/tombstone"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Another_partner_sees_the_same_404_as_for_a_missing_id()
    {
        var (live, deleted) = await SeedAsync();
        var partner = await Server.CreatePartnerAsync("other");
        using var other = Server.CreateClient(partner.TestKey.RawKey);
        await AssertInvisibleAsync(other, live, deleted);
    }

    [Fact]
    public async Task The_same_partners_live_key_sees_the_same_404_as_for_a_missing_id()
    {
        var (live, deleted) = await SeedAsync();
        using var other = Server.CreateClient(Partner.LiveKey.RawKey);
        await AssertInvisibleAsync(other, live, deleted);
    }

    [Fact]
    public async Task Another_context_of_the_same_tenant_sees_nothing()
    {
        var (live, deleted) = await SeedAsync();
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var elsewhere = new CallerContext(Partner.TestTenantId, "elsewhere", "key_x", IsRoot: true, []);
        foreach (var id in new[] { live, deleted })
        {
            var grain = grains.GetGrain<IRecordGrain>(elsewhere.KeyFor(id));
            await Assert.ThrowsAsync<NotFoundException>(() => grain.GetAsync(elsewhere));
            await Assert.ThrowsAsync<NotFoundException>(() => grain.UpdateAsync(elsewhere, new RecordWrite { Status = "X" }));
            await Assert.ThrowsAsync<NotFoundException>(() => grain.PatchAsync(elsewhere, new RecordPatch { Status = "X" }));
            await Assert.ThrowsAsync<NotFoundException>(() => grain.DeleteAsync(elsewhere));
            await Assert.ThrowsAsync<NotFoundException>(() => grain.GetTombstoneAsync(elsewhere));
            await Assert.ThrowsAsync<NotFoundException>(() => grain.GetVersionsAsync(elsewhere, null, 20));

            // A caller whose context is not the grain's is refused even on the right key.
            var home = grains.GetGrain<IRecordGrain>(new CallerContext(Partner.TestTenantId, "default", "k", true, []).KeyFor(id));
            await Assert.ThrowsAsync<NotFoundException>(() => home.GetTombstoneAsync(elsewhere));
        }

        var page = await grains.GetGrain<IRecordQueryGrain>(elsewhere.ContextKey).ListAsync(elsewhere, new RecordListQuery { Recent = true });
        Assert.Empty(page.Data);
    }

    [Fact]
    public async Task A_caller_without_read_scope_for_the_type_gets_404()
    {
        var (live, _) = await SeedAsync();
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var stranger = new CallerContext(Partner.TestTenantId, "default", "key_s", IsRoot: false, ["records:crud:other"]);
        var grain = grains.GetGrain<IRecordGrain>(stranger.KeyFor(live));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.GetAsync(stranger));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.DeleteAsync(stranger));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.GetVersionsAsync(stranger, null, 20));

        var reader = new CallerContext(Partner.TestTenantId, "default", "key_r", IsRoot: false, ["records:r:note"]);
        await Assert.ThrowsAsync<ForbiddenException>(() => grain.DeleteAsync(reader));
        await Assert.ThrowsAsync<ForbiddenException>(() => grain.PatchAsync(reader, new RecordPatch { Status = "X" }));
        var creator = grains.GetGrain<IRecordGrain>(reader.KeyFor(Guid.CreateVersion7().ToString()));
        await Assert.ThrowsAsync<ForbiddenException>(() => creator.CreateAsync(reader, new RecordWrite { TypeName = "note" }, upsert: false));
        var upserter = new CallerContext(Partner.TestTenantId, "default", "key_c", IsRoot: false, ["records:c:note"]);
        await Assert.ThrowsAsync<ForbiddenException>(() => creator.CreateAsync(upserter, new RecordWrite { TypeName = "note" }, upsert: true));
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("x'%3B DROP TABLE records%3B --")]
    public async Task Malformed_and_unknown_ids_are_404(string id)
    {
        await ExpectAsync(await Client.GetAsync($"/v1/records/{id}"), HttpStatusCode.NotFound);
        await ExpectAsync(await Client.DeleteAsync($"/v1/records/{id}"), HttpStatusCode.NotFound);
        await ExpectAsync(await Client.GetAsync($"/v1/records/{id}/versions"), HttpStatusCode.NotFound);
    }

    /// <summary>Every verb on <c>/v1/records/{id}</c>, as a call taking the id.</summary>
    private static IEnumerable<Func<string, Task<HttpResponseMessage>>> Verbs(HttpClient client) =>
    [
        id => client.GetAsync($"/v1/records/{id}"),
        id => client.PutAsJsonAsync($"/v1/records/{id}", new { status = "ARCHIVED" }),
        id => client.PatchAsync($"/v1/records/{id}", JsonContent.Create(new { status = "ARCHIVED" })),
        id => client.DeleteAsync($"/v1/records/{id}"),
        id => client.GetAsync($"/v1/records/{id}/tombstone"),
        id => client.GetAsync($"/v1/records/{id}/versions"),
    ];

    private static async Task<string> NotFoundBodyAsync(HttpResponseMessage response)
    {
        var body = await ExpectAsync(response, HttpStatusCode.NotFound);
        return body.GetProperty("errorCode").GetString() + "|" + body.GetProperty("message").GetString();
    }
}
