using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Endpoints;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.V1;
using V1 = Vectros.V1;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// <c>vectros.v1.Schemas</c>: the handlers of <see cref="SchemasApi"/> with proto messages for JSON. Same scopes
/// (schemas:r/c/u/d), same grains and checks, same 404 for an id of another tenant or context.
/// </summary>
public sealed class SchemasService(IGrainFactory grains) : Schemas.SchemasBase
{
    public override async Task<V1.SchemaPage> ListSchemas(ListSchemasRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("schemas:r");
        var caller = http.GetCaller();
        var query = new SchemaListQuery(
            SchemasApi.Uuid(request.HasUserId ? request.UserId : null, "userId"),
            [.. request.Scopes.Select(s => OwnershipScopes.ReadFilter(s))],
            request.HasSurface ? request.Surface : null,
            request.HasRecordType ? request.RecordType : null,
            GrpcRequests.Cursor(http, request.HasStartFrom ? request.StartFrom : null, request.Clone(), r => r.ClearStartFrom()),
            QueryParams.Limit(request.HasLimit ? request.Limit : null));
        var page = await SchemasApi.ListSchemasAsync(caller, grains, query);
        return SchemaMessages.Page(page, ListCursors.Wrap(http, page.NextCursor));
    }

    [GrpcWrite]
    public override async Task<Schema> CreateSchema(CreateSchemaRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("schemas:c");

        // Upsert overwrites, so it needs schemas:u beside schemas:c, as over HTTP.
        if (request.Upsert)
        {
            http.Demand("schemas:u");
        }

        var body = SchemaMessages.Request(request.Schema ?? new SchemaFields());
        var result = await SchemasApi.CreateSchemaAsync(http.GetCaller(), grains, body, request.Upsert);
        return SchemaMessages.From(result.Schema, result.Created);
    }

    public override async Task<Schema> GetSchema(GetSchemaRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("schemas:r");
        var (_, view) = await SchemasApi.FindAsync(http, grains, request.Id);
        return SchemaMessages.From(view);
    }

    [GrpcWrite]
    public override async Task<Schema> UpdateSchema(UpdateSchemaRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("schemas:u");
        var (grain, schemaId) = await SchemasApi.ResolveAsync(http, grains, request.Id);
        var body = SchemaMessages.Request(request.Schema ?? new SchemaFields());
        return SchemaMessages.From(await grain.PutAsync(http.GetCaller(), body.ToPatch(), schemaId));
    }

    [GrpcWrite]
    public override async Task<Empty> DeleteSchema(DeleteSchemaRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("schemas:d");
        var (grain, schemaId) = await SchemasApi.ResolveAsync(http, grains, request.Id);
        await grain.DeleteAsync(http.GetCaller(), schemaId);
        return new Empty();
    }

    public override async Task<V1.VersionPage> GetSchemaVersions(GetSchemaVersionsRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("schemas:r");
        var page = await SchemasApi.SchemaVersionsAsync(http.GetCaller(), grains, request.Id, request.HasStartFrom ? request.StartFrom : null);
        return RecordMessages.Versions(page);
    }
}
