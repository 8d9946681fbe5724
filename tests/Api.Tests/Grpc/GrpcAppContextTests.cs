using System.Net;
using System.Net.Http.Json;
using Grpc.Core;
using Npgsql;
using Vectros.TestSupport;
using Vectros.V1;
using Xunit;

namespace Vectros.Api.Tests.Grpc;

/// <summary>App contexts over gRPC (issue #12 item 1): the same checks, scopes and grains as <c>/v1/app-contexts</c>.</summary>
public sealed class GrpcAppContextTests : GrpcTestBase
{
    private AppContexts.AppContextsClient Contexts => new(Channel);

    [Fact]
    public async Task Create_get_update_list_delete_round_trip_and_match_http()
    {
        var created = await Contexts.CreateAppContextAsync(new CreateAppContextRequest { ContextId = "shop", Name = " Shop ", Description = "Storefront" });
        Assert.True(created.Created);
        Assert.Equal("shop", created.ContextId);
        Assert.Equal("Shop", created.Name);
        Assert.Equal(AppContextStatus.Active, created.Status);

        // The HTTP API sees the same context.
        var http = await JsonAsync(await Client.GetAsync("/v1/app-contexts/shop"));
        Assert.Equal("Shop", http.GetProperty("name").GetString());
        Assert.Equal("Storefront", http.GetProperty("description").GetString());
        Assert.Equal(http.GetProperty("id").GetString(), created.Id);

        var again = await Contexts.CreateAppContextAsync(new CreateAppContextRequest { ContextId = "shop", Name = "Other" });
        Assert.False(again.Created);
        Assert.Equal("Shop", again.Name);
        var upsert = await Contexts.CreateAppContextAsync(new CreateAppContextRequest { ContextId = "shop", Name = "Shop 2", Description = "Storefront", Upsert = true });
        Assert.False(upsert.Created);
        Assert.Equal("Shop 2", upsert.Name);

        // Partial update: an unset description keeps its value.
        var updated = await Contexts.UpdateAppContextAsync(new UpdateAppContextRequest { ContextId = "shop", Name = "Shop 3" });
        Assert.Equal("Shop 3", updated.Name);
        Assert.Equal("Storefront", updated.Description);
        var got = await Contexts.GetAppContextAsync(new GetAppContextRequest { ContextId = "shop" });
        Assert.Equal("Shop 3", got.Name);
        Assert.False(got.Created);

        var seen = new List<string>();
        var request = new ListAppContextsRequest { Limit = 1 };
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await Contexts.ListAppContextsAsync(request);
            seen.AddRange(page.Data.Select(c => c.ContextId));
            if (!page.HasNextCursor)
            {
                break;
            }

            request.StartFrom = page.NextCursor;
        }

        Assert.Contains("shop", seen);
        Assert.Contains("default", seen);

        await Contexts.DeleteAppContextAsync(new DeleteAppContextRequest { ContextId = "shop", Confirm = "shop" });
        var status = (await JsonAsync(await Client.GetAsync("/v1/app-contexts/shop"))).GetProperty("status").GetString();
        Assert.Contains(status, new[] { "purging", "deleted" });
    }

    [Fact]
    public async Task Validation_failures_are_invalid_argument_with_the_field_and_write_nothing()
    {
        var badId = await FailsAsync(Contexts.CreateAppContextAsync(new CreateAppContextRequest { ContextId = "Bad_Id", Name = "X" }));
        Assert.Equal(StatusCode.InvalidArgument, badId.Code);
        Assert.Equal("context_id", badId.Field);

        var noName = await FailsAsync(Contexts.CreateAppContextAsync(new CreateAppContextRequest { ContextId = "nameless" }));
        Assert.Equal(StatusCode.InvalidArgument, noName.Code);
        Assert.Equal("name", noName.Field);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v1/app-contexts/nameless")).StatusCode);

        var badLimit = await FailsAsync(Contexts.ListAppContextsAsync(new ListAppContextsRequest { Limit = 0 }));
        Assert.Equal("limit", badLimit.Field);

        await Contexts.CreateAppContextAsync(new CreateAppContextRequest { ContextId = "kept", Name = "Kept" });
        var longName = await FailsAsync(Contexts.UpdateAppContextAsync(new UpdateAppContextRequest { ContextId = "kept", Name = new string('n', 201) }));
        Assert.Equal(StatusCode.InvalidArgument, longName.Code);
        Assert.Equal("name", longName.Field);

        var noConfirm = await FailsAsync(Contexts.DeleteAppContextAsync(new DeleteAppContextRequest { ContextId = "kept" }));
        Assert.Equal(StatusCode.InvalidArgument, noConfirm.Code);
        Assert.Equal("confirm", noConfirm.Field);
        var wrongConfirm = await FailsAsync(Contexts.DeleteAppContextAsync(new DeleteAppContextRequest { ContextId = "kept", Confirm = "other" }));
        Assert.Equal("confirm", wrongConfirm.Field);

        var kept = await Contexts.GetAppContextAsync(new GetAppContextRequest { ContextId = "kept" });
        Assert.Equal("Kept", kept.Name);
        Assert.Equal(AppContextStatus.Active, kept.Status);
    }

    [Fact]
    public async Task Another_tenants_context_is_not_found_and_untouched()
    {
        var other = await Server.CreatePartnerAsync("grpc-ctx-other");
        using var otherChannel = Server.CreateGrpcChannel(other.TestKey.RawKey);
        var theirs = new AppContexts.AppContextsClient(otherChannel);
        await theirs.CreateAppContextAsync(new CreateAppContextRequest { ContextId = "secret", Name = "Theirs" });

        var missing = await FailsAsync(Contexts.GetAppContextAsync(new GetAppContextRequest { ContextId = "nowhere" }));
        Assert.Equal(StatusCode.NotFound, missing.Code);
        var get = await FailsAsync(Contexts.GetAppContextAsync(new GetAppContextRequest { ContextId = "secret" }));
        Assert.Equal(StatusCode.NotFound, get.Code);
        Assert.Equal(missing.Message, get.Message);
        var update = await FailsAsync(Contexts.UpdateAppContextAsync(new UpdateAppContextRequest { ContextId = "secret", Name = "Mine" }));
        Assert.Equal(StatusCode.NotFound, update.Code);
        var delete = await FailsAsync(Contexts.DeleteAppContextAsync(new DeleteAppContextRequest { ContextId = "secret", Confirm = "secret" }));
        Assert.Equal(StatusCode.NotFound, delete.Code);
        var list = await Contexts.ListAppContextsAsync(new ListAppContextsRequest { Limit = 100 });
        Assert.DoesNotContain(list.Data, c => c.ContextId == "secret");

        var still = await theirs.GetAppContextAsync(new GetAppContextRequest { ContextId = "secret" });
        Assert.Equal("Theirs", still.Name);
        Assert.Equal(AppContextStatus.Active, still.Status);
    }

    [Fact]
    public async Task Scopes_are_demanded_and_delete_needs_a_root_key()
    {
        await Contexts.CreateAppContextAsync(new CreateAppContextRequest { ContextId = "guarded", Name = "Guarded" });
        // Tokens carry data-plane actions only, so a token never holds the app-contexts scopes.
        using var reader = Server.CreateGrpcChannel(await TokenAsync(new[] { "records:r" }));
        var readOnly = new AppContexts.AppContextsClient(reader);
        var get = await FailsAsync(readOnly.GetAppContextAsync(new GetAppContextRequest { ContextId = "guarded" }));
        Assert.Equal(StatusCode.PermissionDenied, get.Code);
        var list = await FailsAsync(readOnly.ListAppContextsAsync(new ListAppContextsRequest()));
        Assert.Equal(StatusCode.PermissionDenied, list.Code);
        var create = await FailsAsync(readOnly.CreateAppContextAsync(new CreateAppContextRequest { ContextId = "sneaky", Name = "S" }));
        Assert.Equal(StatusCode.PermissionDenied, create.Code);
        var update = await FailsAsync(readOnly.UpdateAppContextAsync(new UpdateAppContextRequest { ContextId = "guarded", Name = "Mine" }));
        Assert.Equal(StatusCode.PermissionDenied, update.Code);

        // A scoped key can hold them: read and create, but upsert overwrites and needs app-contexts:u too.
        using var keyed = Server.CreateGrpcChannel(await ScopedKeyMint.MintAsync(Client, Partner.TestTenantId, "default", ["app-contexts:r", "app-contexts:c"]));
        var creator = new AppContexts.AppContextsClient(keyed);
        Assert.Equal("Guarded", (await creator.GetAppContextAsync(new GetAppContextRequest { ContextId = "guarded" })).Name);
        var upsert = await FailsAsync(creator.CreateAppContextAsync(new CreateAppContextRequest { ContextId = "guarded", Name = "Mine", Upsert = true }));
        Assert.Equal(StatusCode.PermissionDenied, upsert.Code);
        var keyedUpdate = await FailsAsync(creator.UpdateAppContextAsync(new UpdateAppContextRequest { ContextId = "guarded", Name = "Mine" }));
        Assert.Equal(StatusCode.PermissionDenied, keyedUpdate.Code);
        var keyedDelete = await FailsAsync(creator.DeleteAppContextAsync(new DeleteAppContextRequest { ContextId = "guarded", Confirm = "guarded" }));
        Assert.Equal(StatusCode.PermissionDenied, keyedDelete.Code);

        // Not even a wildcard credential deletes a context.
        using var wildcard = Server.CreateGrpcChannel(await TokenAsync(new[] { "*" }));
        var delete = await FailsAsync(new AppContexts.AppContextsClient(wildcard).DeleteAppContextAsync(
            new DeleteAppContextRequest { ContextId = "guarded", Confirm = "guarded" }));
        Assert.Equal(StatusCode.PermissionDenied, delete.Code);

        var kept = await Contexts.GetAppContextAsync(new GetAppContextRequest { ContextId = "guarded" });
        Assert.Equal("Guarded", kept.Name);
        Assert.Equal(AppContextStatus.Active, kept.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v1/app-contexts/sneaky")).StatusCode);
    }

    [Fact]
    public async Task A_data_write_into_a_context_being_deleted_is_not_found()
    {
        await Contexts.CreateAppContextAsync(new CreateAppContextRequest { ContextId = "doomed", Name = "Doomed" });
        using var channel = Server.CreateGrpcChannel(await TokenAsync(new[] { "schemas:crud", "folders:crud" }, "doomed"));
        var schemas = new Schemas.SchemasClient(channel);
        var folders = new Folders.FoldersClient(channel);

        // While active, the write lands.
        await folders.CreateFolderAsync(new CreateFolderRequest { Folder = new FolderFields { Name = "Before" } });

        await Contexts.DeleteAppContextAsync(new DeleteAppContextRequest { ContextId = "doomed", Confirm = "doomed" });
        var schema = await FailsAsync(schemas.CreateSchemaAsync(new CreateSchemaRequest { Schema = new SchemaFields { TypeName = "note", DisplayName = "Note" } }));
        Assert.Equal(StatusCode.NotFound, schema.Code);
        var folder = await FailsAsync(folders.CreateFolderAsync(new CreateFolderRequest { Folder = new FolderFields { Name = "After" } }));
        Assert.Equal(StatusCode.NotFound, folder.Code);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM schemas WHERE tenant_id = $1 AND context_id = 'doomed'"));
    }

    private async Task<string> TokenAsync(string[] allowedActions, string? contextId = null)
    {
        var scope = new { allowedActions };
        var mint = await Client.PostAsJsonAsync("/v1/auth/token", contextId is null ? new { scope } : (object)new { scope, contextId });
        Assert.True(mint.IsSuccessStatusCode, await mint.Content.ReadAsStringAsync());
        return (await JsonAsync(mint)).GetProperty("token").GetString()!;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var cmd = Db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Partner.TestTenantId });
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
