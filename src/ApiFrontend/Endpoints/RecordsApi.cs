using System.Text.Json.Nodes;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.ApiFrontend.Logs;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;
using Orleans;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>/v1/records</c> exactly as the spec describes it (L3327–L4100). Record scopes are per type
/// (<c>records:c|r|u|d:&lt;type&gt;</c>), so the grains check them once the type is known; an id from another
/// tenant or context, or of a type the caller cannot read, answers the same 404 as a missing one.
/// </summary>
public static class RecordsApi
{
    /// <summary>The versions endpoint takes <c>startFrom</c> only (spec L4062), so its page size is fixed.</summary>
    internal const int VersionsPageSize = 20;

    public static IEndpointRouteBuilder MapRecordsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/records").WithTags("Records");

        group.MapGet("/", ListAsync).WithName("listRecords").WithSummary("List records")
            .Produces<PageResponse<RecordResponse>>().ProducesApiErrors(400, 403);
        group.MapPost("/", CreateAsync).WithName("createRecord").WithSummary("Create a record")
            .Produces<RecordResponse>(201).Produces<RecordResponse>().ProducesApiErrors(400, 403, 409);
        group.MapGet("/lookup", LookupAsync).WithName("lookupRecords").WithSummary("Lookup records by field value (equality, range, or prefix)")
            .Produces<PageResponse<RecordResponse>>().ProducesApiErrors(400, 403);
        group.MapPost("/lookup", LookupByBodyAsync).DescribesBody<RecordLookupRequest>().WithName("lookupRecordsByBody")
            .WithSummary("Lookup records by field value via a request body (sensitive-value-safe)")
            .Produces<PageResponse<RecordResponse>>().ProducesApiErrors(400, 403);
        group.MapGet("/{id}", GetAsync).WithName("getRecord").WithSummary("Get a record by ID")
            .Produces<RecordResponse>().ProducesApiErrors(404);
        group.MapPut("/{id}", UpdateAsync).WithName("updateRecord").WithSummary("Update a record")
            .Produces<RecordResponse>().ProducesApiErrors(400, 403, 404, 409);
        group.MapPatch("/{id}", PatchAsync).WithName("patchRecord").WithSummary("Partially update a record (RFC 7386 JSON Merge Patch)")
            .Produces<RecordResponse>().ProducesApiErrors(400, 403, 404, 409);
        group.MapDelete("/{id}", DeleteAsync).WithName("deleteRecord").WithSummary("Delete a record")
            .Produces(204).ProducesApiErrors(403, 404, 409);
        group.MapGet("/{id}/tombstone", TombstoneAsync).WithName("getRecordTombstone").WithSummary("Get the tombstone for a deleted record")
            .Produces<RecordResponse>().ProducesApiErrors(404);
        group.MapGet("/{id}/versions", VersionsAsync).WithName("getRecordVersions").WithSummary("Get a record's version history")
            .Produces<PageResponse<ModelDataVersionResponse>>().ProducesApiErrors(404, 409);

        // Reserved by the spec (L3327–L3454): the 200 shapes are frozen, the endpoints answer 501 for now.
        group.MapPost("/batch-get", (HttpContext context) => NotImplemented(context, "Batch get"))
            .WithName("batchGetRecords").WithSummary("Batch get records by ID (reserved — not yet implemented)")
            .ProducesApiErrors(501);
        group.MapPost("/lookup/batch", (HttpContext context) => NotImplemented(context, "Batch lookup"))
            .WithName("batchLookupRecords").WithSummary("Batch lookup records (reserved — not yet implemented)")
            .ProducesApiErrors(501);
        group.MapPost("/batch", (HttpContext context) => NotImplemented(context, "Batch write"))
            .WithName("batchWriteRecords").WithSummary("Batch write records (reserved — not yet implemented)")
            .ProducesApiErrors(501);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains, IAccessLog accessLog)
    {
        var caller = context.GetCaller();
        var request = context.Request;
        var recent = QueryParams.Flag(request, "recent");
        var query = new RecordListQuery
        {
            Recent = recent,
            Type = QueryParams.Optional(request, "type"),
            FolderId = Uuid(request, "folderId"),
            UserId = Uuid(request, "userId"),
            Scopes = ScopeFilters.Read(request),
            IncludePayload = QueryParams.Flag(request, "includePayload"),
            StartFrom = ListCursors.Unwrap(context),
            Limit = QueryParams.Limit(request),
        };

        CheckListMode(query);
        if (!recent && QueryParams.Optional(request, "clientId") is not null && query.UserId is null && QueryParams.Optional(request, "orgId") is null)
        {
            throw new ValidationException("clientId", "clientId needs userId or orgId as well.");
        }

        var page = await grains.GetGrain<IRecordQueryGrain>(caller.ContextKey).ListAsync(caller, query, context.RequestAborted);
        accessLog.RecordReads(context, AccessLog.List, page.Data);
        return TypedResults.Ok(RecordResponse.Page(page with { NextCursor = ListCursors.Wrap(context, page.NextCursor) }));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var upsert = QueryParams.Flag(context.Request, "upsert");
        AllowClear(context.Request);
        var body = await JsonBody.ReadAsync<JsonObject>(context.Request, context.RequestAborted);
        var write = RecordRequestReader.ReadWrite(body, RecordRequestReader.Verb.Create);

        // Record ids are UUIDv7 chosen here: time-ordered, so cursors and the primary key follow creation order.
        var id = Guid.CreateVersion7();
        var result = await grains.GetGrain<IRecordGrain>(caller.KeyFor(id.ToString())).CreateAsync(caller, write, upsert, context.RequestAborted);
        var response = RecordResponse.From(result.Record, result.Created);
        return result.Created ? TypedResults.Created($"/v1/records/{result.Record.Id}", response) : TypedResults.Ok(response);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IGrainFactory grains, IAccessLog accessLog)
    {
        var caller = context.GetCaller();
        var record = await Grain(caller, grains, id).GetAsync(caller, context.RequestAborted);
        accessLog.RecordReads(context, AccessLog.Read, [record]);
        return TypedResults.Ok(RecordResponse.From(record));
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var grain = Grain(caller, grains, id);
        AllowClear(context.Request);
        var body = await JsonBody.ReadAsync<JsonObject>(context.Request, context.RequestAborted);
        var write = RecordRequestReader.ReadWrite(body, RecordRequestReader.Verb.Put);
        return TypedResults.Ok(RecordResponse.From(await grain.UpdateAsync(caller, write)));
    }

    private static async Task<IResult> PatchAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var grain = Grain(caller, grains, id);
        var body = await JsonBody.ReadAsync<JsonObject>(context.Request, context.RequestAborted);
        return TypedResults.Ok(RecordResponse.From(await grain.PatchAsync(caller, RecordRequestReader.ReadPatch(body))));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        await Grain(caller, grains, id).DeleteAsync(caller);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> TombstoneAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        return TypedResults.Ok(RecordResponse.From(await Grain(caller, grains, id).GetTombstoneAsync(caller)));
    }

    private static async Task<IResult> VersionsAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var startFrom = QueryParams.Optional(context.Request, "startFrom");
        var page = await Grain(caller, grains, id).GetVersionsAsync(caller, startFrom, VersionsPageSize);
        return TypedResults.Ok(ModelDataVersionResponse.Page(page));
    }

    private static async Task<IResult> LookupAsync(HttpContext context, IGrainFactory grains, IAccessLog accessLog)
    {
        var caller = context.GetCaller();
        var request = context.Request;
        var query = LookupQueries.FromQuery(context) with
        {
            Values = LookupQueries.PresentAll(request, "values"),
            SortFrom = LookupQueries.Present(request, "sortFrom"),
            SortTo = LookupQueries.Present(request, "sortTo"),
            IncludePayload = QueryParams.Flag(request, "includePayload"),
        };
        var page = await grains.GetGrain<IRecordQueryGrain>(caller.ContextKey).LookupAsync(caller, query, context.RequestAborted);
        accessLog.RecordReads(context, AccessLog.Lookup, page.Data);
        return TypedResults.Ok(RecordResponse.Page(page with { NextCursor = ListCursors.Wrap(context, page.NextCursor) }));
    }

    private static async Task<IResult> LookupByBodyAsync(HttpContext context, IGrainFactory grains, IAccessLog accessLog)
    {
        var caller = context.GetCaller();
        var body = await JsonBody.ReadAsync<RecordLookupRequest>(context.Request, context.RequestAborted);
        var query = LookupQueries.FromBody(context, body.Type, body.Field, body.Value, body.From, body.To, body.Prefix, body.Order,
            body.StartFrom, body.Limit, body.UserId, body.Scope, body with { StartFrom = null }) with
        {
            Values = body.Values?.Select((v, i) => v ?? throw new ValidationException($"values[{i}]", $"values[{i}] must be a string.")).ToList(),
            SortFrom = RecordLookupRequest.Bound(body.SortFrom, "sortFrom"),
            SortTo = RecordLookupRequest.Bound(body.SortTo, "sortTo"),
            IncludePayload = body.IncludePayload ?? false,
        };
        var page = await grains.GetGrain<IRecordQueryGrain>(caller.ContextKey).LookupAsync(caller, query, context.RequestAborted);
        accessLog.RecordReads(context, AccessLog.Lookup, page.Data);
        return TypedResults.Ok(RecordResponse.Page(page with { NextCursor = ListCursors.Wrap(context, page.NextCursor) }));
    }

    /// <summary>
    /// 0.40 <c>?allowClear=</c> guards a full replace that would drop fields of an externalized payload the caller
    /// never saw. Payloads are always stored inline here, so no replace drops unseen fields: the flag is checked for
    /// shape and has nothing to allow.
    /// </summary>
    private static void AllowClear(HttpRequest request) => QueryParams.Flag(request, "allowClear");

    private static IResult NotImplemented(HttpContext context, string what) =>
        TypedResults.Json(
            new ApiError("NOT_IMPLEMENTED", $"{what} is reserved by the API and not implemented yet; use the single-record endpoints.", context.TraceIdentifier),
            ApiJson.Response,
            statusCode: StatusCodes.Status501NotImplemented);

    /// <summary>A list names its mode: a type, a folder (optionally with a type), or the most recent records.</summary>
    internal static void CheckListMode(RecordListQuery query)
    {
        if (!query.Recent && query.Type is null && query.FolderId is null)
        {
            throw new ValidationException("type", "Give exactly one mode: type, folderId (optionally with type) or recent=true.");
        }
    }

    /// <summary>The record's grain in the caller's context. A malformed id is as absent as a missing one.</summary>
    internal static IRecordGrain Grain(Grains.Abstractions.Access.CallerContext caller, IGrainFactory grains, string id) =>
        Guid.TryParse(id, out var recordId)
            ? grains.GetGrain<IRecordGrain>(caller.KeyFor(recordId.ToString()))
            : throw new NotFoundException("No record exists with this id.");

    private static Guid? Uuid(HttpRequest request, string name) => QueryParams.Uuid(QueryParams.Optional(request, name), name);
}
