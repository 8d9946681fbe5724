using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary><c>/v1/folders</c> over real HTTP: create (idempotent by path), root, list, get, PUT, PATCH, delete, versions.</summary>
public sealed class FolderTests : FolderTestBase
{
    [Fact]
    public async Task First_create_provisions_the_protected_root_and_files_the_folder_under_it()
    {
        var folder = await CreateFolderAsync(new { name = "Reports", description = "Quarterly" });
        Assert.True(folder.GetProperty("created").GetBoolean());
        Assert.True(Guid.TryParseExact(Id(folder), "D", out var id) && id.Version == 7, "folder ids are UUIDv7");
        Assert.Equal("reports", folder.GetProperty("slug").GetString());
        Assert.Equal("Quarterly", folder.GetProperty("description").GetString());
        Assert.Equal(1, folder.GetProperty("depth").GetInt32());
        Assert.False(folder.GetProperty("isProtected").GetBoolean());
        Assert.Equal(1, Version(folder));

        var page = await JsonAsync(await Client.GetAsync("/v1/folders"));
        var data = page.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, data.Count);
        var root = data.Single(f => f.GetProperty("depth").GetInt32() == 0);
        Assert.True(root.GetProperty("isProtected").GetBoolean());
        Assert.False(root.TryGetProperty("parentFolderId", out _), "the root has no parent");
        Assert.Equal("root", root.GetProperty("slug").GetString());
        Assert.Equal(Id(root), folder.GetProperty("parentFolderId").GetString());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Creating_the_same_path_twice_returns_the_same_folder_unchanged()
    {
        var first = await CreateFolderAsync(new { name = "Intake Forms", description = "v1" });
        var again = await CreateFolderAsync(new { name = "intake forms!", description = "other" }, expected: HttpStatusCode.OK);
        Assert.False(again.GetProperty("created").GetBoolean());
        Assert.Equal(Id(first), Id(again));
        Assert.Equal("Intake Forms", again.GetProperty("name").GetString());
        Assert.Equal("v1", again.GetProperty("description").GetString());
        Assert.Equal(1, Version(again));

        // Naming the root explicitly is the same parent as omitting it.
        var explicitRoot = await CreateFolderAsync(new { name = "Intake Forms", parentFolderId = await RootIdAsync() }, expected: HttpStatusCode.OK);
        Assert.Equal(Id(first), Id(explicitRoot));

        // An explicit slug is the same key as the derived one.
        var bySlug = await CreateFolderAsync(new { name = "Anything", slug = "intake-forms" }, expected: HttpStatusCode.OK);
        Assert.Equal(Id(first), Id(bySlug));
        Assert.Equal((2, 2), await CountRowsAsync());
    }

    [Fact]
    public async Task The_same_slug_under_different_parents_is_a_different_folder_and_depth_follows_the_parent()
    {
        var a = await CreateFolderAsync(new { name = "A" });
        var b = await CreateFolderAsync(new { name = "B" });
        var aNotes = await CreateFolderAsync(new { name = "Notes", parentFolderId = Id(a) });
        var bNotes = await CreateFolderAsync(new { name = "Notes", parentFolderId = Id(b) });
        Assert.NotEqual(Id(aNotes), Id(bNotes));
        Assert.Equal(2, aNotes.GetProperty("depth").GetInt32());
        var deeper = await CreateFolderAsync(new { name = "2024", parentFolderId = Id(aNotes) });
        Assert.Equal(3, deeper.GetProperty("depth").GetInt32());
        Assert.Equal(Id(aNotes), deeper.GetProperty("parentFolderId").GetString());
    }

    [Fact]
    public async Task Upsert_overwrites_mutable_fields_and_an_identical_upsert_is_a_no_op()
    {
        var userId = Guid.NewGuid().ToString();
        var first = await CreateFolderAsync(new { name = "Projects", description = "old" });
        var upserted = await CreateFolderAsync(new { name = "PROJECTS", description = "new", userId }, expected: HttpStatusCode.OK, client: null, upsert: true);
        Assert.False(upserted.GetProperty("created").GetBoolean());
        Assert.Equal(Id(first), Id(upserted));
        Assert.Equal("PROJECTS", upserted.GetProperty("name").GetString());
        Assert.Equal("new", upserted.GetProperty("description").GetString());
        Assert.Equal(userId, upserted.GetProperty("userId").GetString());
        Assert.Equal("projects", upserted.GetProperty("slug").GetString());
        Assert.Equal(2, Version(upserted));

        // Same content again, and omitted fields are kept rather than cleared: no write, no version, no history row.
        var same = await CreateFolderAsync(new { name = "PROJECTS" }, expected: HttpStatusCode.OK, client: null, upsert: true);
        Assert.Equal(2, Version(same));
        Assert.Equal("new", same.GetProperty("description").GetString());
        Assert.Equal((2, 3), await CountRowsAsync());

        // Upsert of a path that does not exist yet simply creates it.
        var fresh = await CreateFolderAsync(new { name = "Fresh" }, expected: HttpStatusCode.Created, client: null, upsert: true);
        Assert.True(fresh.GetProperty("created").GetBoolean());
    }

    [Fact]
    public async Task Concurrent_creates_of_one_path_yield_one_folder()
    {
        await RootIdAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Client.PostAsJsonAsync("/v1/folders", new { name = "Race" })));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var ids = await Task.WhenAll(responses.Select(async r => Id(await JsonAsync(r))));
        Assert.Single(ids.Distinct());
        Assert.Equal((2, 2), await CountRowsAsync());
    }

    [Fact]
    public async Task Concurrent_first_operations_provision_exactly_one_root()
    {
        var lists = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Client.GetAsync("/v1/folders")));
        var creates = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Client.PostAsJsonAsync("/v1/folders", new { name = $"F{i}" })));
        Assert.All(lists, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(creates, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var rootIds = await Task.WhenAll(lists.Select(async r =>
            (await JsonAsync(r)).GetProperty("data").EnumerateArray().Single(f => f.GetProperty("depth").GetInt32() == 0).GetProperty("id").GetString()));
        Assert.Single(rootIds.Distinct());
        Assert.Equal((5, 5), await CountRowsAsync());
    }

    [Theory]
    [InlineData("Reports", "reports")]
    [InlineData("  --Hello,   World!--  ", "hello-world")]
    [InlineData("Café Notes & Más", "caf-notes-m-s")]
    [InlineData("2024 Q1 / Intake", "2024-q1-intake")]
    [InlineData("x'; DROP TABLE folders; --", "x-drop-table-folders")]
    public async Task Slugs_are_derived_from_the_name(string name, string slug)
    {
        var folder = await CreateFolderAsync(new { name });
        Assert.Equal(slug, folder.GetProperty("slug").GetString());
        Assert.Equal(name.Trim(), folder.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Names_without_ascii_letters_and_over_long_names_still_get_stable_distinct_slugs()
    {
        var japanese = await CreateFolderAsync(new { name = "日本語" });
        Assert.Matches("^folder-[0-9a-f]{12}$", japanese.GetProperty("slug").GetString());
        Assert.Equal(Id(japanese), Id(await CreateFolderAsync(new { name = "日本語" }, expected: HttpStatusCode.OK)));
        Assert.NotEqual(Id(japanese), Id(await CreateFolderAsync(new { name = "中文" })));

        var prefix = new string('a', 150);
        var longA = await CreateFolderAsync(new { name = prefix + " one" });
        var longB = await CreateFolderAsync(new { name = prefix + " two" });
        Assert.NotEqual(Id(longA), Id(longB));
        Assert.All(new[] { longA, longB }, f => Assert.True(f.GetProperty("slug").GetString()!.Length <= 100));
        Assert.Equal(Id(longA), Id(await CreateFolderAsync(new { name = prefix + " one" }, expected: HttpStatusCode.OK)));
    }

    [Fact]
    public async Task An_explicit_slug_is_kept()
    {
        var folder = await CreateFolderAsync(new { name = "Intake", slug = "intake-2024" });
        Assert.Equal("intake-2024", folder.GetProperty("slug").GetString());
        Assert.Equal("Intake", folder.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Get_returns_the_folder_without_created_and_404_for_unknown_ids()
    {
        var folder = await CreateFolderAsync(new { name = "Getme", orgId = (await CreateOrgAsync()).ToString() });
        var response = await Client.GetAsync($"/v1/folders/{Id(folder)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var got = await JsonAsync(response);
        Assert.False(got.TryGetProperty("created", out _));
        Assert.Equal(folder.GetProperty("orgId").GetString(), got.GetProperty("orgId").GetString());
        Assert.Equal(folder.GetProperty("createdAt").GetString(), got.GetProperty("createdAt").GetString());

        // The id is case-insensitive like any UUID.
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/v1/folders/{Id(folder).ToUpperInvariant()}")).StatusCode);
        await AssertErrorAsync(await Client.GetAsync($"/v1/folders/{Guid.CreateVersion7()}"), HttpStatusCode.NotFound, errorCode: "NOT_FOUND");
        await AssertErrorAsync(await Client.GetAsync("/v1/folders/not-a-uuid"), HttpStatusCode.NotFound, errorCode: "NOT_FOUND");
    }

    [Fact]
    public async Task Put_is_partial_and_ignores_parent_and_slug()
    {
        var other = await CreateFolderAsync(new { name = "Elsewhere" });
        var folder = await CreateFolderAsync(new { name = "Before", description = "keep me" });
        var response = await Client.PutAsJsonAsync($"/v1/folders/{Id(folder)}",
            new { name = "After", description = (string?)null, parentFolderId = Id(other), slug = "moved" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await JsonAsync(response);
        Assert.Equal("After", updated.GetProperty("name").GetString());
        Assert.Equal("keep me", updated.GetProperty("description").GetString());
        Assert.Equal(folder.GetProperty("parentFolderId").GetString(), updated.GetProperty("parentFolderId").GetString());
        Assert.Equal("before", updated.GetProperty("slug").GetString());
        Assert.Equal(2, Version(updated));
        Assert.False(updated.TryGetProperty("created", out _));
        Assert.NotEqual(folder.GetProperty("lastModified").GetString(), updated.GetProperty("lastModified").GetString());
        Assert.Equal(folder.GetProperty("createdAt").GetString(), updated.GetProperty("createdAt").GetString());

        // The same content again is not a write.
        var same = await JsonAsync(await Client.PutAsJsonAsync($"/v1/folders/{Id(folder)}", new { name = "After" }));
        Assert.Equal(2, Version(same));

        // expectedVersion makes it conditional.
        var stale = await Client.PutAsJsonAsync($"/v1/folders/{Id(folder)}", new { name = "Stale", expectedVersion = 1 });
        await AssertErrorAsync(stale, HttpStatusCode.Conflict, errorCode: "VERSION_CONFLICT");
        var current = await Client.PutAsJsonAsync($"/v1/folders/{Id(folder)}", new { name = "Current", expectedVersion = 2 });
        Assert.Equal(3, Version(await JsonAsync(current)));

        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/folders/{Guid.CreateVersion7()}", new { name = "x" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Patch_applies_present_fields_and_honours_expected_version()
    {
        var folder = await CreateFolderAsync(new { name = "Patchme", description = "d" });
        var userId = Guid.NewGuid().ToString();
        var clientId = (await CreateClientAsync()).ToString();
        var response = await Client.SendAsync(Patch(Id(folder), $$"""{"name":"Patched","userId":"{{userId}}","clientId":"{{clientId}}","expectedVersion":1}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var patched = await JsonAsync(response);
        Assert.Equal("Patched", patched.GetProperty("name").GetString());
        Assert.Equal("d", patched.GetProperty("description").GetString());
        Assert.Equal(userId, patched.GetProperty("userId").GetString());
        Assert.Equal(clientId, patched.GetProperty("clientId").GetString());
        Assert.Equal(2, Version(patched));

        // A stale expectedVersion is a 409 and changes nothing.
        await AssertErrorAsync(await Client.SendAsync(Patch(Id(folder), """{"name":"Lost","expectedVersion":1}""")), HttpStatusCode.Conflict, errorCode: "VERSION_CONFLICT");
        var afterConflict = await JsonAsync(await Client.GetAsync($"/v1/folders/{Id(folder)}"));
        Assert.Equal("Patched", afterConflict.GetProperty("name").GetString());
        Assert.Equal(2, Version(afterConflict));

        // application/json works too, and an empty patch is a no-op.
        var plain = await Client.SendAsync(Patch(Id(folder), """{"description":"new"}""", "application/json"));
        Assert.Equal(3, Version(await JsonAsync(plain)));
        Assert.Equal(3, Version(await JsonAsync(await Client.SendAsync(Patch(Id(folder), "{}")))));
        Assert.Equal((2, 4), await CountRowsAsync());
    }

    [Theory]
    [InlineData("""{"slug":"new-slug"}""", "slug")]
    [InlineData("""{"parentFolderId":"0196a6c4-0000-7000-8000-000000000000"}""", "parentFolderId")]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{"description":null}""", "description")]
    [InlineData("""{"userId":null}""", "userId")]
    [InlineData("""{"expectedVersion":null}""", "expectedVersion")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":5}""", "$.name")]
    [InlineData("""{"expectedVersion":"1"}""", "$.expectedVersion")]
    [InlineData("""{"expectedVersion":1.5}""", "$.expectedVersion")]
    [InlineData("""{"orgId":"org-1"}""", "orgId")]
    [InlineData("""{"colour":"red"}""", "$.colour")]
    [InlineData("""{"name":"a","name":"b"}""", "$.name")]
    public async Task Bad_patches_are_400_and_change_nothing(string json, string field)
    {
        var folder = await CreateFolderAsync(new { name = "Stable" });
        await AssertErrorAsync(await Client.SendAsync(Patch(Id(folder), json)), HttpStatusCode.BadRequest, field);
        var after = await JsonAsync(await Client.GetAsync($"/v1/folders/{Id(folder)}"));
        Assert.Equal("Stable", after.GetProperty("name").GetString());
        Assert.Equal(1, Version(after));
        Assert.Equal((2, 2), await CountRowsAsync());
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"name\"")]
    [InlineData("")]
    [InlineData("{\"name\":")]
    public async Task Patch_bodies_that_are_not_objects_are_400(string json)
    {
        var folder = await CreateFolderAsync(new { name = "Stable" });
        await AssertErrorAsync(await Client.SendAsync(Patch(Id(folder), json)), HttpStatusCode.BadRequest, errorCode: "VALIDATION_ERROR");
        Assert.Equal(1, Version(await JsonAsync(await Client.GetAsync($"/v1/folders/{Id(folder)}"))));
    }

    [Fact]
    public async Task Delete_removes_an_empty_folder_and_refuses_protected_or_non_empty_ones()
    {
        var parent = await CreateFolderAsync(new { name = "Parent" });
        var child = await CreateFolderAsync(new { name = "Child", parentFolderId = Id(parent) });

        await AssertErrorAsync(await Client.DeleteAsync($"/v1/folders/{Id(parent)}"), HttpStatusCode.BadRequest, errorCode: "FOLDER_NOT_EMPTY");
        await AssertErrorAsync(await Client.DeleteAsync($"/v1/folders/{await RootIdAsync()}"), HttpStatusCode.BadRequest, errorCode: "FOLDER_PROTECTED");

        var deleted = await Client.DeleteAsync($"/v1/folders/{Id(child)}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync());
        await AssertErrorAsync(await Client.GetAsync($"/v1/folders/{Id(child)}"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.DeleteAsync($"/v1/folders/{Id(child)}"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/folders/{Id(child)}", new { name = "ghost" }), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/folders/{Id(parent)}")).StatusCode);
        var page = await JsonAsync(await Client.GetAsync("/v1/folders"));
        Assert.Single(page.GetProperty("data").EnumerateArray());

        // Deleting a path frees it: creating it again makes a new folder.
        var again = await CreateFolderAsync(new { name = "Parent" });
        Assert.NotEqual(Id(parent), Id(again));
    }

    [Fact]
    public async Task Delete_is_refused_while_records_are_filed_in_the_folder()
    {
        var folder = await CreateFolderAsync(new { name = "Holds records" });
        var recordId = Guid.CreateVersion7();
        await ExecuteSqlAsync(
            "INSERT INTO records (tenant_id, context_id, record_id, type_name, payload, folder_id, created_by) VALUES ($1, 'default', $2, 'note', '{}', $3, 'test')",
            Partner.TestTenantId, recordId, Guid.Parse(Id(folder)));

        await AssertErrorAsync(await Client.DeleteAsync($"/v1/folders/{Id(folder)}"), HttpStatusCode.BadRequest, errorCode: "FOLDER_NOT_EMPTY");
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/v1/folders/{Id(folder)}")).StatusCode);

        await ExecuteSqlAsync("DELETE FROM records WHERE tenant_id = $1 AND record_id = $2", Partner.TestTenantId, recordId);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/folders/{Id(folder)}")).StatusCode);
    }

    [Fact]
    public async Task List_filters_by_parent_and_owner_and_pages_with_a_cursor()
    {
        var userId = Guid.NewGuid().ToString();
        var orgId = (await CreateOrgAsync()).ToString();
        var clientId = (await CreateClientAsync()).ToString();
        var parent = await CreateFolderAsync(new { name = "Parent", userId });
        var c1 = await CreateFolderAsync(new { name = "C1", parentFolderId = Id(parent), orgId });
        var c2 = await CreateFolderAsync(new { name = "C2", parentFolderId = Id(parent), orgId, clientId });
        await CreateFolderAsync(new { name = "Grandchild", parentFolderId = Id(c1) });

        Assert.Equal([Id(c1), Id(c2)], await ListIdsAsync($"parentFolderId={Id(parent)}"));
        Assert.Equal([Id(parent)], await ListIdsAsync($"parentFolderId={await RootIdAsync()}"));
        Assert.Equal([Id(parent)], await ListIdsAsync($"userId={userId}"));
        Assert.Equal([Id(c1), Id(c2)], await ListIdsAsync($"orgId={orgId}"));
        Assert.Equal([Id(c2)], await ListIdsAsync($"orgId={orgId}&clientId={clientId}"));
        Assert.Empty(await ListIdsAsync($"parentFolderId={Guid.CreateVersion7()}"));

        var all = await ListIdsAsync("limit=100");
        Assert.Equal(5, all.Count);
        var paged = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await JsonAsync(await Client.GetAsync("/v1/folders?limit=2" + (cursor is null ? "" : $"&startFrom={cursor}")));
            paged.AddRange(page.GetProperty("data").EnumerateArray().Select(Id));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(all, paged);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData("parentFolderId=abc", "parentFolderId")]
    [InlineData("userId=1", "userId")]
    [InlineData("orgId=x", "orgId")]
    [InlineData("clientId=%27%3B--", "clientId")]
    [InlineData("startFrom=nope", "startFrom")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    public async Task Bad_list_parameters_are_400(string query, string field)
    {
        await AssertErrorAsync(await Client.GetAsync($"/v1/folders?{query}"), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Versions_record_every_write_newest_first_and_outlive_the_folder()
    {
        var folder = await CreateFolderAsync(new { name = "Audited", description = "one" });
        await Client.PutAsJsonAsync($"/v1/folders/{Id(folder)}", new { name = "Audited 2" });
        await Client.SendAsync(Patch(Id(folder), """{"description":"two"}"""));
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/folders/{Id(folder)}")).StatusCode);

        var response = await Client.GetAsync($"/v1/folders/{Id(folder)}/versions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await JsonAsync(response);
        var versions = page.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["DELETE", "UPDATE", "UPDATE", "CREATE"], versions.Select(v => v.GetProperty("changeType").GetString()));
        Assert.All(versions, v => Assert.Equal(Partner.TestKey.KeyId, v.GetProperty("changedBy").GetString()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);

        var create = versions[3];
        Assert.False(create.TryGetProperty("previousContent", out _));
        Assert.False(create.TryGetProperty("previousVersion", out _));
        Assert.Contains("name", create.GetProperty("changedFields").GetProperty("fields").EnumerateArray().Select(f => f.GetString()));

        var rename = versions[2];
        Assert.Equal(1, rename.GetProperty("previousVersion").GetInt64());
        var before = JsonDocument.Parse(rename.GetProperty("previousContent").GetString()!).RootElement;
        Assert.Equal("Audited", before.GetProperty("name").GetString());
        Assert.Equal(Id(folder), before.GetProperty("id").GetString());
        var changes = rename.GetProperty("changedFields");
        Assert.Equal(["name"], changes.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(1, changes.GetProperty("count").GetInt32());
        Assert.Equal("Audited", changes.GetProperty("details").GetProperty("name").GetProperty("sourceVal").GetString());
        Assert.Equal("Audited 2", changes.GetProperty("details").GetProperty("name").GetProperty("targetVal").GetString());

        var delete = versions[0];
        Assert.Equal(3, delete.GetProperty("previousVersion").GetInt64());
        Assert.Equal("two", JsonDocument.Parse(delete.GetProperty("previousContent").GetString()!).RootElement.GetProperty("description").GetString());

        // Paging: two at a time, the cursor continues where the page ended.
        var first = await JsonAsync(await Client.GetAsync($"/v1/folders/{Id(folder)}/versions?limit=2"));
        var cursor = first.GetProperty("nextCursor").GetString();
        Assert.NotNull(cursor);
        var second = await JsonAsync(await Client.GetAsync($"/v1/folders/{Id(folder)}/versions?limit=2&startFrom={cursor}"));
        Assert.Equal(["UPDATE", "CREATE"], second.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("changeType").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        await AssertErrorAsync(await Client.GetAsync($"/v1/folders/{Guid.CreateVersion7()}/versions"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.GetAsync("/v1/folders/nope/versions"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_root_has_a_create_version_too()
    {
        var versions = await JsonAsync(await Client.GetAsync($"/v1/folders/{await RootIdAsync()}/versions"));
        var create = Assert.Single(versions.GetProperty("data").EnumerateArray());
        Assert.Equal("CREATE", create.GetProperty("changeType").GetString());
        Assert.False(string.IsNullOrEmpty(create.GetProperty("changeReason").GetString()));
    }

    private async Task<List<string>> ListIdsAsync(string query)
    {
        var response = await Client.GetAsync($"/v1/folders?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("data").EnumerateArray().Select(Id).ToList();
    }
}
