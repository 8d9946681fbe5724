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

public sealed class RecordListTests : RecordTestBase
{
    private async Task<(List<string> Ids, int Pages)> ListAllAsync(string query, int limit)
    {
        var ids = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ExpectAsync(await Client.GetAsync(
                $"/v1/records?{query}&limit={limit}{(cursor is null ? "" : "&startFrom=" + Uri.EscapeDataString(cursor))}"), HttpStatusCode.OK);
            ids.AddRange(page.GetProperty("data").EnumerateArray().Select(Id));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        return (ids, pages);
    }

    [Fact]
    public async Task Type_mode_pages_through_every_record_of_the_type()
    {
        await CreateBareSchemaAsync("note");
        await CreateBareSchemaAsync("memo");
        var notes = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            notes.Add(Id(await CreateRecordAsync(new { typeName = "note", payload = new { i } })));
        }

        await CreateRecordAsync(new { typeName = "memo" });
        var (ids, pages) = await ListAllAsync("type=note", 2);
        Assert.Equal(notes.Order(StringComparer.Ordinal), ids);
        Assert.Equal(3, pages);

        var all = await ExpectAsync(await Client.GetAsync("/v1/records?type=note&includePayload=true"), HttpStatusCode.OK);
        Assert.Equal(5, all.GetProperty("data").GetArrayLength());
        Assert.True(all.GetProperty("data")[0].GetProperty("payload").TryGetProperty("i", out _));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("nextCursor").ValueKind);

        var none = await ExpectAsync(await Client.GetAsync("/v1/records?type=ghost"), HttpStatusCode.OK);
        Assert.Equal(0, none.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Folder_mode_spans_types_and_combines_with_type()
    {
        await CreateBareSchemaAsync("note");
        await CreateBareSchemaAsync("memo");
        var folder = await InsertFolderAsync();
        var a = Id(await CreateRecordAsync(new { typeName = "note", folderId = folder }));
        var b = Id(await CreateRecordAsync(new { typeName = "memo", folderId = folder }));
        await CreateRecordAsync(new { typeName = "note" });

        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), (await ListAllAsync($"folderId={folder}", 10)).Ids);
        Assert.Equal([b], (await ListAllAsync($"folderId={folder}&type=memo", 10)).Ids);
        Assert.Empty((await ListAllAsync($"folderId={Guid.NewGuid()}", 10)).Ids);
    }

    [Fact]
    public async Task Recent_feed_is_newest_first_and_ignores_filters()
    {
        await CreateBareSchemaAsync("note");
        await CreateBareSchemaAsync("memo");
        var first = Id(await CreateRecordAsync(new { typeName = "note" }));
        var second = Id(await CreateRecordAsync(new { typeName = "memo" }));
        var third = Id(await CreateRecordAsync(new { typeName = "note" }));
        Assert.Equal([third, second, first], (await ListAllAsync("recent=true", 2)).Ids);

        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{first}", new { status = "ARCHIVED" }), HttpStatusCode.OK);
        Assert.Equal([first, third, second], (await ListAllAsync("recent=true&type=memo&userId=" + Guid.NewGuid(), 1)).Ids);
    }

    [Fact]
    public async Task Owner_filters_narrow_type_and_folder_modes()
    {
        await CreateBareSchemaAsync("note");
        var (user, org, client) = (Guid.NewGuid(), await CreateOrgAsync(), await CreateClientAsync());
        var mine = Id(await CreateRecordAsync(new { typeName = "note", userId = user, orgId = org, clientId = client }));
        var userOnly = Id(await CreateRecordAsync(new { typeName = "note", userId = user }));
        await CreateRecordAsync(new { typeName = "note", orgId = org });
        await CreateRecordAsync(new { typeName = "note" });

        Assert.Equal(new[] { mine, userOnly }.Order(StringComparer.Ordinal), (await ListAllAsync($"type=note&userId={user}", 10)).Ids);
        Assert.Equal(2, (await ListAllAsync($"type=note&orgId={org}", 10)).Ids.Count);
        Assert.Equal([mine], (await ListAllAsync($"type=note&userId={user}&clientId={client}", 10)).Ids);
        Assert.Equal([mine], (await ListAllAsync($"type=note&orgId={org}&userId={user}", 10)).Ids);
    }

    [Theory]
    [InlineData("")]
    [InlineData("userId=6ba7b810-9dad-11d1-80b4-00c04fd430c8")]
    [InlineData("type=note&clientId=6ba7b810-9dad-11d1-80b4-00c04fd430c8")]
    [InlineData("type=note&userId=nope")]
    [InlineData("folderId=nope")]
    [InlineData("type=note&limit=0")]
    [InlineData("type=note&limit=101")]
    [InlineData("type=note&recent=yes")]
    [InlineData("type=note&includePayload=1")]
    [InlineData("type=note&startFrom=%%%")]
    [InlineData("type=no%23te")]
    public async Task Bad_list_queries_are_400(string query)
    {
        await CreateBareSchemaAsync("note");
        await ExpectAsync(await Client.GetAsync("/v1/records?" + query), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Only_readable_types_are_listed()
    {
        await CreateBareSchemaAsync("note");
        await CreateBareSchemaAsync("secret");
        var folder = await InsertFolderAsync();
        var note = Id(await CreateRecordAsync(new { typeName = "note", folderId = folder }));
        await CreateRecordAsync(new { typeName = "secret", folderId = folder });

        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var scoped = new CallerContext(Partner.TestTenantId, "default", "key_scoped", IsRoot: false, ["records:r:note"]);
        var query = grains.GetGrain<IRecordQueryGrain>(scoped.ContextKey);

        var recent = await query.ListAsync(scoped, new RecordListQuery { Recent = true });
        Assert.Equal([note], recent.Data.Select(r => r.Id.ToString()));
        var inFolder = await query.ListAsync(scoped, new RecordListQuery { FolderId = folder });
        Assert.Equal([note], inFolder.Data.Select(r => r.Id.ToString()));
        await Assert.ThrowsAsync<ForbiddenException>(() => query.ListAsync(scoped, new RecordListQuery { Type = "secret" }));

        var everything = new CallerContext(Partner.TestTenantId, "default", "key_reader", IsRoot: false, ["records:r"]);
        Assert.Equal(2, (await query.ListAsync(everything, new RecordListQuery { Recent = true })).Data.Count);
        var nothing = new CallerContext(Partner.TestTenantId, "default", "key_none", IsRoot: false, ["folders:r"]);
        Assert.Empty((await query.ListAsync(nothing, new RecordListQuery { Recent = true })).Data);
    }
}
