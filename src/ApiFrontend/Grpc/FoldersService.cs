using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Endpoints;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Folders;
using Vectros.V1;
using V1 = Vectros.V1;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// <c>vectros.v1.Folders</c>: the handlers of <see cref="FoldersApi"/> with proto messages for JSON. A request
/// becomes the HTTP API's <see cref="FolderRequest"/> and goes through the same command builders, so both front
/// doors check names, slugs and ids with the same code and messages. Same scopes (folders:r/c/u/d), same grains.
/// </summary>
public sealed class FoldersService(IGrainFactory grains) : Folders.FoldersBase
{
    public override async Task<V1.FolderPage> ListFolders(ListFoldersRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("folders:r");
        var caller = http.GetCaller();
        var query = new FolderListQuery(
            FoldersApi.BodyId(request.HasParentFolderId ? request.ParentFolderId : null, "parentFolderId"),
            FoldersApi.BodyId(request.HasUserId ? request.UserId : null, "userId"),
            [.. request.Scopes.Select(s => OwnershipScopes.ReadFilter(s))],
            GrpcRequests.Cursor(http, request.HasStartFrom ? request.StartFrom : null, request.Clone(), r => r.ClearStartFrom()),
            QueryParams.Limit(request.HasLimit ? request.Limit : null));
        var page = await grains.GetGrain<IFolderDirectoryGrain>(caller.ContextKey).ListAsync(caller, query);
        var result = new V1.FolderPage();
        result.Data.AddRange(page.Data.Select(v => From(v)));
        if (ListCursors.Wrap(http, page.NextCursor) is { } next)
        {
            result.NextCursor = next;
        }

        return result;
    }

    [GrpcWrite]
    public override async Task<Folder> CreateFolder(CreateFolderRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("folders:c");
        if (request.Upsert)
        {
            http.Demand("folders:u");
        }

        var caller = http.GetCaller();
        var command = FoldersApi.CreateCommand(Request(request.Folder ?? new FolderFields()), request.Upsert);
        var result = await grains.GetGrain<IFolderDirectoryGrain>(caller.ContextKey).CreateAsync(caller, command);
        return From(result.Folder, result.Created);
    }

    public override async Task<Folder> GetFolder(GetFolderRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("folders:r");
        var caller = http.GetCaller();
        return From(await FoldersApi.Grain(caller, grains, request.Id).GetAsync(caller) ?? throw FoldersApi.NotFound());
    }

    [GrpcWrite]
    public override async Task<Folder> UpdateFolder(UpdateFolderRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("folders:u");
        var caller = http.GetCaller();
        var grain = FoldersApi.Grain(caller, grains, request.Id);
        return From(await grain.UpdateAsync(caller, FoldersApi.UpdateCommand(Request(request.Folder ?? new FolderFields()))));
    }

    /// <summary>
    /// PATCH: the set members apply, as PUT's do. Nulls cannot be sent in proto; slug and parent_folder_id are
    /// refused as the HTTP PATCH refuses them, where PUT ignores them.
    /// </summary>
    [GrpcWrite]
    public override async Task<Folder> PatchFolder(UpdateFolderRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("folders:u");
        var caller = http.GetCaller();
        var grain = FoldersApi.Grain(caller, grains, request.Id);
        var fields = request.Folder ?? new FolderFields();
        if (fields.HasSlug)
        {
            throw FoldersApi.Immutable("slug");
        }

        if (fields.HasParentFolderId)
        {
            throw FoldersApi.Immutable("parentFolderId");
        }

        return From(await grain.UpdateAsync(caller, FoldersApi.UpdateCommand(Request(fields))));
    }

    [GrpcWrite]
    public override async Task<Empty> DeleteFolder(DeleteFolderRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("folders:d");
        var caller = http.GetCaller();
        await FoldersApi.Grain(caller, grains, request.Id).DeleteAsync(caller);
        return new Empty();
    }

    public override async Task<V1.VersionPage> GetFolderVersions(GetFolderVersionsRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("folders:r");
        var caller = http.GetCaller();
        var grain = FoldersApi.Grain(caller, grains, request.Id);
        var page = await grain.GetVersionsAsync(caller, request.HasStartFrom ? request.StartFrom : null,
            QueryParams.Limit(request.HasLimit ? request.Limit : null));
        return RecordMessages.Versions(page);
    }

    public static FolderRequest Request(FolderFields f) => new(
        f.HasName ? f.Name : null,
        f.HasDescription ? f.Description : null,
        f.HasParentFolderId ? f.ParentFolderId : null,
        f.HasSlug ? f.Slug : null,
        f.HasUserId ? f.UserId : null,
        f.HasOrgId ? f.OrgId : null,
        f.HasClientId ? f.ClientId : null,
        f.HasExpectedVersion ? f.ExpectedVersion : null,
        f.Scopes.Count > 0 || f.ClearScopes ? new JsonArray([.. f.Scopes.Select(s => (JsonNode?)JsonValue.Create(s))]) : null);

    public static Folder From(FolderView view, bool created = false)
    {
        var wire = FolderResponse.From(view);
        var folder = new Folder
        {
            Id = wire.Id,
            Name = wire.Name,
            Slug = wire.Slug,
            Depth = wire.Depth,
            IsProtected = wire.IsProtected,
            CreatedAt = ProtoValues.ToTimestamp(view.CreatedAt),
            LastModified = ProtoValues.ToTimestamp(view.LastModified),
            Version = wire.Version,
            Created = created,
        };
        folder.Scopes.AddRange(wire.Scopes);
        if (wire.Description is { } description)
        {
            folder.Description = description;
        }

        if (wire.ParentFolderId is { } parent)
        {
            folder.ParentFolderId = parent;
        }

        if (wire.UserId is { } user)
        {
            folder.UserId = user;
        }

        if (wire.OrgId is { } org)
        {
            folder.OrgId = org;
        }

        if (wire.ClientId is { } client)
        {
            folder.ClientId = client;
        }

        return folder;
    }
}
