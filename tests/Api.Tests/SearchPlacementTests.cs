using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Issue #8 item 5: restriction by source type, schema type, folder (exact and subtree), creation time and ownership
/// (userId, 0.40 scope, 0.31 orgId/clientId, and ownership fields inside filters), through HTTP.
/// </summary>
public sealed class SearchPlacementTests : SearchTestBase
{
    private readonly Guid _root = Guid.CreateVersion7();
    private readonly Guid _child = Guid.CreateVersion7();
    private readonly Guid _user = Guid.NewGuid();
    private readonly Guid _org = Guid.NewGuid();
    private readonly Guid _client = Guid.NewGuid();
    private readonly Guid _doc = Guid.CreateVersion7();
    private readonly Guid _recordInChild = Guid.CreateVersion7();
    private readonly Guid _old = Guid.CreateVersion7();
    private readonly Guid _team = Guid.CreateVersion7();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await SeedAsync(
            new ChunkSeed("Quarterly report on kettles.") { SourceId = _doc, FolderId = _root, UserId = _user, Scopes = [$"org:{_org}"], ExternalId = "doc-1" },
            new ChunkSeed("Kettle inspection record.")
            {
                SourceId = _recordInChild, SourceKind = "record", TypeName = "inspection", FolderId = _child, FolderPath = [_child, _root],
                Scopes = [$"client:{_client}", $"org:{_org}"], ExternalId = "insp-7",
            },
            new ChunkSeed("Kettle archive from long ago.") { SourceId = _old, TypeName = "memo", Created = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero) },
            new ChunkSeed("Kettle notes of the blue team.") { SourceId = _team, SourceKind = "record", TypeName = "memo", Scopes = ["team:blue"], UserId = _user });
    }

    private async Task<List<Guid>> FindAsync(object extra)
    {
        var request = new Dictionary<string, object> { ["query"] = "kettle", ["mode"] = "TEXT" };
        foreach (var property in extra.GetType().GetProperties())
        {
            request[property.Name] = property.GetValue(extra)!;
        }

        return [.. Ids(await SearchAsync(request)).Order()];
    }

    private static List<Guid> Sorted(params Guid[] ids) => [.. ids.Order()];

    [Fact]
    public async Task Content_types_narrow_to_documents_or_records()
    {
        Assert.Equal(Sorted(_doc, _old), await FindAsync(new { contentTypes = new[] { "documents" } }));
        Assert.Equal(Sorted(_recordInChild, _team), await FindAsync(new { contentTypes = new[] { "records" } }));
        Assert.Equal(4, (await FindAsync(new { contentTypes = new[] { "documents", "records" } })).Count);
        Assert.Equal(4, (await FindAsync(new { contentTypes = Array.Empty<string>() })).Count);
    }

    [Fact]
    public async Task Type_name_narrows_documents_and_records_and_never_matches_untyped_content()
    {
        Assert.Equal(Sorted(_old, _team), await FindAsync(new { typeName = "memo" }));
        Assert.Equal(Sorted(_team), await FindAsync(new { typeName = "memo", contentTypes = new[] { "records" } }));
        Assert.Empty(await FindAsync(new { typeName = "nothing_has_this" }));
    }

    [Fact]
    public async Task Folder_is_exact_and_root_folder_is_the_subtree()
    {
        Assert.Equal(Sorted(_doc), await FindAsync(new { folderId = _root }));
        Assert.Equal(Sorted(_recordInChild), await FindAsync(new { folderId = _child }));
        Assert.Equal(Sorted(_doc, _recordInChild), await FindAsync(new { rootFolderId = _root }));
        Assert.Equal(Sorted(_recordInChild), await FindAsync(new { rootFolderId = _child }));
    }

    [Fact]
    public async Task Created_after_and_before_bound_the_creation_time()
    {
        Assert.Equal(Sorted(_old), await FindAsync(new { createdBefore = "2021-01-01T00:00:00Z" }));
        Assert.Equal(Sorted(_doc, _recordInChild, _team), await FindAsync(new { createdAfter = "2021-01-01T00:00:00Z" }));
        Assert.Equal(Sorted(_old), await FindAsync(new { createdAfter = "2019-12-31T23:00:00Z", createdBefore = "2020-01-01T00:00:00Z" }));
    }

    [Fact]
    public async Task Ownership_filters_user_scope_and_the_0_31_org_and_client()
    {
        Assert.Equal(Sorted(_doc, _team), await FindAsync(new { userId = _user }));
        Assert.Equal(Sorted(_team), await FindAsync(new { scope = "team:blue" }));
        Assert.Equal(Sorted(_team), await FindAsync(new { scope = "team:blue", userId = _user }));
        Assert.Equal(Sorted(_doc, _recordInChild), await FindAsync(new { orgId = _org }));
        Assert.Equal(Sorted(_doc, _recordInChild), await FindAsync(new { scope = $"org:{_org}" }));
        Assert.Equal(Sorted(_recordInChild), await FindAsync(new { orgId = _org, clientId = _client }));
        Assert.Empty(await FindAsync(new { scope = "team:red" }));
    }

    [Fact]
    public async Task Ownership_fields_inside_filters()
    {
        Assert.Equal(Sorted(_doc, _team), await FindAsync(new { filters = new { userId = _user.ToString() } }));
        Assert.Equal(Sorted(_recordInChild, _old), await FindAsync(new { filters = new { userId = new Dictionary<string, object> { ["$ne"] = _user.ToString() } } }));
        Assert.Equal(Sorted(_doc, _recordInChild), await FindAsync(new { filters = new { orgId = _org.ToString() } }));
        Assert.Equal(Sorted(_recordInChild), await FindAsync(new { filters = new { clientId = new[] { _client.ToString(), "other" } } }));
        Assert.Equal(Sorted(_team), await FindAsync(new { filters = new Dictionary<string, object> { ["scope:team"] = "blue" } }));
        Assert.Equal(Sorted(_doc, _recordInChild, _old), await FindAsync(new { filters = new Dictionary<string, object> { ["scope:team"] = new Dictionary<string, object> { ["$nin"] = new[] { "blue" } } } }));
        Assert.Equal(Sorted(_recordInChild), await FindAsync(new { filters = new { externalId = "insp-7" } }));
        Assert.Equal(Sorted(_doc, _recordInChild), await FindAsync(new { filters = new { externalId = new Dictionary<string, object> { ["$in"] = new[] { "insp-7", "doc-1" } } } }));
    }

    [Fact]
    public async Task Bad_placement_and_ownership_values_are_refused_naming_the_field()
    {
        await ExpectBadRequestAsync(new { query = "kettle", contentTypes = new[] { "images" } }, "contentTypes");
        await ExpectBadRequestAsync(new { query = "kettle", folderId = "not-a-uuid" }, "folderId");
        await ExpectBadRequestAsync(new { query = "kettle", rootFolderId = "123" }, "rootFolderId");
        await ExpectBadRequestAsync(new { query = "kettle", createdAfter = "yesterday" }, "createdAfter");
        await ExpectBadRequestAsync(new { query = "kettle", createdBefore = "2024-13-45" }, "createdBefore");
        await ExpectBadRequestAsync(new { query = "kettle", userId = "bob" }, "userId");
        await ExpectBadRequestAsync(new { query = "kettle", orgId = "acme" }, "orgId");
        await ExpectBadRequestAsync(new { query = "kettle", scope = "team" }, "scope");
        await ExpectBadRequestAsync(new { query = "kettle", scope = "user:x" }, "scope");
        await ExpectBadRequestAsync(new { query = "kettle", scope = "team:blue", orgId = _org }, "scope");
        await ExpectBadRequestAsync(new { query = "kettle", typeName = "Not A Type!" }, "typeName");
        await ExpectBadRequestAsync(new { query = "kettle", filters = new { userId = "bob" } }, "filters.userId");
        await ExpectBadRequestAsync(new { query = "kettle", filters = new { userId = new Dictionary<string, object> { ["$gt"] = _user.ToString() } } }, "filters.userId.$gt");
        await ExpectBadRequestAsync(new { query = "kettle", filters = new { orgId = 5 } }, "filters.orgId");
        await ExpectBadRequestAsync(new { query = "kettle", filters = new Dictionary<string, object> { ["scope:team"] = "no spaces allowed" } }, "filters.scope:team");
    }
}
