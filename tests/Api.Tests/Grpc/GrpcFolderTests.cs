using System.Net.Http.Json;
using Grpc.Core;
using Vectros.V1;
using Xunit;

namespace Vectros.Api.Tests.Grpc;

/// <summary>Folders over gRPC (issue #12 item 1): the same checks, scopes and grains as <c>/v1/folders</c>.</summary>
public sealed class GrpcFolderTests : GrpcTestBase
{
    private Folders.FoldersClient FoldersClient => new(Channel);

    [Fact]
    public async Task Create_get_update_patch_list_versions_delete_round_trip_and_match_http()
    {
        var parent = await FoldersClient.CreateFolderAsync(new CreateFolderRequest
        {
            Folder = new FolderFields { Name = "Clinical Notes", Description = "All notes" },
        });
        Assert.True(parent.Created);
        Assert.Equal("clinical-notes", parent.Slug);
        Assert.Equal(1, parent.Version);

        // The HTTP API sees the same folder.
        var http = await JsonAsync(await Client.GetAsync($"/v1/folders/{parent.Id}"));
        Assert.Equal("Clinical Notes", http.GetProperty("name").GetString());
        Assert.Equal("clinical-notes", http.GetProperty("slug").GetString());

        var child = await FoldersClient.CreateFolderAsync(new CreateFolderRequest
        {
            Folder = new FolderFields { Name = "2026", Slug = "y2026", ParentFolderId = parent.Id },
        });
        Assert.Equal(parent.Id, child.ParentFolderId);
        Assert.Equal(parent.Depth + 1, child.Depth);

        var upsert = await FoldersClient.CreateFolderAsync(new CreateFolderRequest
        {
            Folder = new FolderFields { Name = "2026 notes", Slug = "y2026", ParentFolderId = parent.Id },
            Upsert = true,
        });
        Assert.False(upsert.Created);
        Assert.Equal(child.Id, upsert.Id);
        Assert.Equal("2026 notes", upsert.Name);

        var children = await FoldersClient.ListFoldersAsync(new ListFoldersRequest { ParentFolderId = parent.Id });
        Assert.Equal(child.Id, Assert.Single(children.Data).Id);

        // PUT ignores slug; an unset description stays.
        var put = await FoldersClient.UpdateFolderAsync(new UpdateFolderRequest
        {
            Id = parent.Id,
            Folder = new FolderFields { Name = "Notes", Slug = "ignored", ExpectedVersion = parent.Version },
        });
        Assert.Equal("Notes", put.Name);
        Assert.Equal("clinical-notes", put.Slug);
        Assert.Equal("All notes", put.Description);
        Assert.Equal(parent.Version + 1, put.Version);

        var patched = await FoldersClient.PatchFolderAsync(new UpdateFolderRequest
        {
            Id = parent.Id,
            Folder = new FolderFields { Description = "Every note" },
        });
        Assert.Equal("Notes", patched.Name);
        Assert.Equal("Every note", patched.Description);
        Assert.Equal(put.Version + 1, patched.Version);

        var got = await FoldersClient.GetFolderAsync(new GetFolderRequest { Id = parent.Id });
        Assert.Equal(patched.Version, got.Version);
        Assert.False(got.Created);

        var versions = await FoldersClient.GetFolderVersionsAsync(new GetFolderVersionsRequest { Id = parent.Id });
        Assert.Contains(versions.Data, v => v.ChangeType == "CREATE");
        var httpVersions = await JsonAsync(await Client.GetAsync($"/v1/folders/{parent.Id}/versions"));
        Assert.Equal(httpVersions.GetProperty("data").GetArrayLength(), versions.Data.Count);

        await FoldersClient.DeleteFolderAsync(new DeleteFolderRequest { Id = child.Id });
        var gone = await FailsAsync(FoldersClient.GetFolderAsync(new GetFolderRequest { Id = child.Id }));
        Assert.Equal(StatusCode.NotFound, gone.Code);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/folders/{child.Id}")).StatusCode);
    }

    [Fact]
    public async Task Validation_failures_are_invalid_argument_with_the_field_and_write_nothing()
    {
        var blank = await FailsAsync(FoldersClient.CreateFolderAsync(new CreateFolderRequest { Folder = new FolderFields { Name = "   " } }));
        Assert.Equal(StatusCode.InvalidArgument, blank.Code);
        Assert.Equal("name", blank.Field);

        var noName = await FailsAsync(FoldersClient.CreateFolderAsync(new CreateFolderRequest { Folder = new FolderFields() }));
        Assert.Equal("name", noName.Field);

        var slug = await FailsAsync(FoldersClient.CreateFolderAsync(new CreateFolderRequest { Folder = new FolderFields { Name = "X", Slug = "Not A Slug" } }));
        Assert.Equal(StatusCode.InvalidArgument, slug.Code);
        Assert.Equal("slug", slug.Field);

        var parentId = await FailsAsync(FoldersClient.CreateFolderAsync(new CreateFolderRequest { Folder = new FolderFields { Name = "X", ParentFolderId = "nope" } }));
        Assert.Equal("parent_folder_id", parentId.Field);

        var before = await JsonAsync(await Client.GetAsync("/v1/folders"));
        var listed = await FoldersClient.ListFoldersAsync(new ListFoldersRequest());
        Assert.Equal(before.GetProperty("data").GetArrayLength(), listed.Data.Count);
        Assert.DoesNotContain(listed.Data, f => f.Name == "X");

        // PATCH refuses moving or re-slugging by name and leaves the folder as it was.
        var folder = await FoldersClient.CreateFolderAsync(new CreateFolderRequest { Folder = new FolderFields { Name = "Fixed" } });
        var reslug = await FailsAsync(FoldersClient.PatchFolderAsync(new UpdateFolderRequest { Id = folder.Id, Folder = new FolderFields { Slug = "moved" } }));
        Assert.Equal(StatusCode.InvalidArgument, reslug.Code);
        Assert.Equal("slug", reslug.Field);
        var move = await FailsAsync(FoldersClient.PatchFolderAsync(new UpdateFolderRequest { Id = folder.Id, Folder = new FolderFields { ParentFolderId = folder.Id } }));
        Assert.Equal("parent_folder_id", move.Field);
        var owner = await FailsAsync(FoldersClient.UpdateFolderAsync(new UpdateFolderRequest { Id = folder.Id, Folder = new FolderFields { UserId = "bad" } }));
        Assert.Equal("user_id", owner.Field);
        var conflict = await FailsAsync(FoldersClient.UpdateFolderAsync(new UpdateFolderRequest { Id = folder.Id, Folder = new FolderFields { Name = "Late", ExpectedVersion = 9 } }));
        Assert.Equal(StatusCode.Aborted, conflict.Code);

        var kept = await FoldersClient.GetFolderAsync(new GetFolderRequest { Id = folder.Id });
        Assert.Equal(folder.Version, kept.Version);
        Assert.Equal("fixed", kept.Slug);
        Assert.Equal("Fixed", kept.Name);
    }

    [Fact]
    public async Task Another_tenants_folder_is_not_found_and_untouched()
    {
        var other = await Server.CreatePartnerAsync("grpc-folder-other");
        using var otherChannel = Server.CreateGrpcChannel(other.TestKey.RawKey);
        var theirsClient = new Folders.FoldersClient(otherChannel);
        var theirs = await theirsClient.CreateFolderAsync(new CreateFolderRequest { Folder = new FolderFields { Name = "Theirs" } });

        var missing = await FailsAsync(FoldersClient.GetFolderAsync(new GetFolderRequest { Id = Guid.NewGuid().ToString() }));
        Assert.Equal(StatusCode.NotFound, missing.Code);
        var get = await FailsAsync(FoldersClient.GetFolderAsync(new GetFolderRequest { Id = theirs.Id }));
        Assert.Equal(StatusCode.NotFound, get.Code);
        Assert.Equal(missing.Message, get.Message);
        foreach (var call in new Func<Task<Folder>>[]
        {
            () => FoldersClient.UpdateFolderAsync(new UpdateFolderRequest { Id = theirs.Id, Folder = new FolderFields { Name = "Mine" } }).ResponseAsync,
            () => FoldersClient.PatchFolderAsync(new UpdateFolderRequest { Id = theirs.Id, Folder = new FolderFields { Name = "Mine" } }).ResponseAsync,
        })
        {
            Assert.Equal(StatusCode.NotFound, (await FailsAsync(call)).Code);
        }

        // A foreign parent is refused exactly as a missing one is.
        var foreignParent = await FailsAsync(FoldersClient.CreateFolderAsync(new CreateFolderRequest { Folder = new FolderFields { Name = "Child", ParentFolderId = theirs.Id } }));
        var missingParent = await FailsAsync(FoldersClient.CreateFolderAsync(new CreateFolderRequest { Folder = new FolderFields { Name = "Child", ParentFolderId = Guid.NewGuid().ToString() } }));
        Assert.Equal(missingParent.Code, foreignParent.Code);
        Assert.Equal(missingParent.Message, foreignParent.Message);
        Assert.Equal(missingParent.Field, foreignParent.Field);

        Assert.Equal(StatusCode.NotFound, (await FailsAsync(FoldersClient.DeleteFolderAsync(new DeleteFolderRequest { Id = theirs.Id }))).Code);
        Assert.Equal(StatusCode.NotFound, (await FailsAsync(FoldersClient.GetFolderVersionsAsync(new GetFolderVersionsRequest { Id = theirs.Id }))).Code);

        var still = await theirsClient.GetFolderAsync(new GetFolderRequest { Id = theirs.Id });
        Assert.Equal(1, still.Version);
        Assert.Equal("Theirs", still.Name);
        Assert.Empty((await theirsClient.ListFoldersAsync(new ListFoldersRequest { ParentFolderId = theirs.Id })).Data);
    }

    [Fact]
    public async Task A_scoped_token_lacking_the_scope_is_permission_denied()
    {
        var folder = await FoldersClient.CreateFolderAsync(new CreateFolderRequest { Folder = new FolderFields { Name = "Guarded" } });
        var mint = await Client.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "folders:r" } } });
        Assert.True(mint.IsSuccessStatusCode, await mint.Content.ReadAsStringAsync());
        using var channel = Server.CreateGrpcChannel((await JsonAsync(mint)).GetProperty("token").GetString()!);
        var readOnly = new Folders.FoldersClient(channel);
        Assert.Equal("Guarded", (await readOnly.GetFolderAsync(new GetFolderRequest { Id = folder.Id })).Name);

        var create = await FailsAsync(readOnly.CreateFolderAsync(new CreateFolderRequest { Folder = new FolderFields { Name = "Sneaky" } }));
        Assert.Equal(StatusCode.PermissionDenied, create.Code);
        var update = await FailsAsync(readOnly.UpdateFolderAsync(new UpdateFolderRequest { Id = folder.Id, Folder = new FolderFields { Name = "Mine" } }));
        Assert.Equal(StatusCode.PermissionDenied, update.Code);
        var patch = await FailsAsync(readOnly.PatchFolderAsync(new UpdateFolderRequest { Id = folder.Id, Folder = new FolderFields { Name = "Mine" } }));
        Assert.Equal(StatusCode.PermissionDenied, patch.Code);
        var delete = await FailsAsync(readOnly.DeleteFolderAsync(new DeleteFolderRequest { Id = folder.Id }));
        Assert.Equal(StatusCode.PermissionDenied, delete.Code);

        var kept = await FoldersClient.GetFolderAsync(new GetFolderRequest { Id = folder.Id });
        Assert.Equal(folder.Version, kept.Version);
        Assert.Equal("Guarded", kept.Name);
        Assert.DoesNotContain((await FoldersClient.ListFoldersAsync(new ListFoldersRequest())).Data, f => f.Name == "Sneaky");
    }
}
