using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Endpoints;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.V1;
using V1 = Vectros.V1;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// <c>vectros.v1.AppContexts</c>: the handlers of <see cref="AppContextsApi"/> with proto messages for JSON. Same
/// scopes (app-contexts:r/c/u, root for delete), same checks, same grains, same 404 for another tenant's context.
/// </summary>
public sealed class AppContextsService(IGrainFactory grains) : AppContexts.AppContextsBase
{
    public override async Task<V1.AppContextPage> ListAppContexts(ListAppContextsRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var principal = http.Demand("app-contexts:r");
        var startFrom = GrpcRequests.Cursor(http, request.HasStartFrom ? request.StartFrom : null, request.Clone(), r => r.ClearStartFrom());
        var page = await grains.GetGrain<IAppContextQueryGrain>(principal.TenantId)
            .ListAsync(startFrom, QueryParams.Limit(request.HasLimit ? request.Limit : null));
        var result = new V1.AppContextPage();
        result.Data.AddRange(page.Data.Select(v => From(v)));
        if (ListCursors.Wrap(http, page.NextCursor) is { } next)
        {
            result.NextCursor = next;
        }

        return result;
    }

    [GrpcWrite(dataPlane: false)]
    public override async Task<V1.AppContext> CreateAppContext(CreateAppContextRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var principal = http.Demand("app-contexts:c");
        if (request.Upsert)
        {
            http.Demand("app-contexts:u");
        }

        var body = new AppContextRequest(
            request.ContextId, request.HasName ? request.Name : null, request.HasDescription ? request.Description : null);
        var result = await AppContextsApi.CreateContextAsync(principal, grains, body, request.Upsert);
        return From(result.Context, result.Created);
    }

    public override async Task<V1.AppContext> GetAppContext(GetAppContextRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("app-contexts:r");
        return From(await AppContextsApi.Grain(http, grains, request.ContextId).GetAsync() ?? throw AppContextsApi.NotFound());
    }

    [GrpcWrite(dataPlane: false)]
    public override async Task<V1.AppContext> UpdateAppContext(UpdateAppContextRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("app-contexts:u");
        var grain = AppContextsApi.Grain(http, grains, request.ContextId);
        var command = AppContextsApi.UpdateCommand(
            new AppContextRequest(null, request.HasName ? request.Name : null, request.HasDescription ? request.Description : null));
        return From(await grain.UpdateAsync(command));
    }

    [GrpcWrite(dataPlane: false)]
    public override async Task<Empty> DeleteAppContext(DeleteAppContextRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.DemandRoot();
        AppContextsApi.CheckConfirm(request.Confirm, request.ContextId);
        await AppContextsApi.Grain(http, grains, request.ContextId).DeleteAsync();
        return new Empty();
    }

    public static V1.AppContext From(AppContextView view, bool created = false)
    {
        var wire = AppContextResponse.From(view);
        var result = new V1.AppContext
        {
            Id = wire.Id,
            ContextId = wire.ContextId,
            Name = wire.Name,
            CreatedAt = ProtoValues.ToTimestamp(view.CreatedAt),
            LastModified = ProtoValues.ToTimestamp(view.LastModified),
            Status = ProtoValues.Enum<V1.AppContextStatus>(wire.Status.ToUpperInvariant()),
            Created = created,
        };
        if (wire.Description is { } description)
        {
            result.Description = description;
        }

        return result;
    }
}
