using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.ApiFrontend.Logs;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>/v1/documents</c> as the spec describes it (L1686–L2320) with the 0.40 changes (API-DELTA §3): scopes
/// <c>documents:r|c|u|d</c> on every route (<c>?upsert=true</c> also needs <c>:u</c>); an id from another tenant or
/// context answers the same 404 as a missing one. The document grain owns the lifecycle; this file only reads
/// requests and shapes responses.
/// </summary>
public static class DocumentsApi
{
    /// <summary>The versions endpoint takes <c>startFrom</c> only (spec L2208), so its page size is fixed.</summary>
    internal const int VersionsPageSize = 20;

    public static IEndpointRouteBuilder MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/documents").WithTags("Documents");

        group.MapGet("/", ListAsync).RequireScope("documents:r").WithName("listDocuments").WithSummary("List documents")
            .Produces<PageResponse<DocumentResponse>>().ProducesApiErrors(400, 403);
        group.MapPost("/", CreateAsync).RequireScope("documents:c").WithName("ingestDocument").WithSummary("Ingest a text document")
            .Produces<DocumentResponse>(201).Produces<DocumentResponse>().ProducesApiErrors(400, 403, 409);
        group.MapGet("/lookup", LookupAsync).RequireScope("documents:r").WithName("lookupDocuments").WithSummary("Look up documents by field value")
            .Produces<PageResponse<DocumentResponse>>().ProducesApiErrors(400, 403);
        group.MapPost("/lookup", LookupByBodyAsync).DescribesBody<DocumentLookupRequest>().RequireScope("documents:r").WithName("lookupDocumentsByBody")
            .WithSummary("Look up documents by field value via a request body (safe for sensitive fields)")
            .Produces<PageResponse<DocumentResponse>>().ProducesApiErrors(400, 403);
        group.MapGet("/{id}", GetAsync).RequireScope("documents:r").WithName("getDocument").WithSummary("Get a document by ID")
            .Produces<DocumentResponse>().ProducesApiErrors(403, 404);
        group.MapPut("/{id}", UpdateAsync).RequireScope("documents:u").WithName("updateDocument").WithSummary("Update a text document")
            .Produces<DocumentResponse>().ProducesApiErrors(400, 403, 404, 409);
        group.MapPatch("/{id}", PatchAsync).RequireScope("documents:u").WithName("patchDocument")
            .WithSummary("Partially update a document (RFC 7386 JSON Merge Patch)")
            .Produces<DocumentResponse>().ProducesApiErrors(400, 403, 404, 409);
        group.MapDelete("/{id}", DeleteAsync).RequireScope("documents:d").WithName("deleteDocument").WithSummary("Delete a document")
            .Produces(204).ProducesApiErrors(403, 404, 409);
        group.MapGet("/{id}/versions", VersionsAsync).RequireScope("documents:r").WithName("getDocumentVersions")
            .WithSummary("Get version history for a document")
            .Produces<PageResponse<ModelDataVersionResponse>>().ProducesApiErrors(400, 403, 404);
        group.MapGet("/{id}/text", TextAsync).RequireScope("documents:r").WithName("getDocumentText").WithSummary("Retrieve a document's stored text")
            .Produces<DocumentTextResponse>().ProducesApiErrors(403, 404);
        group.MapPost("/upload", UploadAsync).RequireScope("documents:c").WithName("uploadDocument").WithSummary("Initiate a file upload")
            .Produces<FileUploadResponse>(201).Produces<FileUploadResponse>().ProducesApiErrors(400, 403, 409);
        group.MapGet("/{id}/download", DownloadAsync).RequireScope("documents:r").WithName("getDocumentDownloadUrl")
            .WithSummary("Get a presigned download URL for a file-backed document")
            .Produces<DocumentDownloadResponse>().ProducesApiErrors(400, 403, 404);

        // Where the signed upload and download URLs point (outside /v1: the URL is the credential).
        app.MapDocumentFilesApi();
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains, IAccessLog accessLog)
    {
        var caller = context.GetCaller();
        var request = context.Request;
        var query = new DocumentListQuery
        {
            FolderId = Uuid(request, "folderId"),
            UserId = Uuid(request, "userId"),
            Scopes = ScopeFilters.Read(request),
            StartFrom = ListCursors.Unwrap(context),
            Limit = QueryParams.Limit(request),
        };
        var page = await grains.GetGrain<IDocumentQueryGrain>(caller.ContextKey).ListAsync(caller, query);
        accessLog.RecordReads(context, AccessLog.List, page.Data);
        return TypedResults.Ok(DocumentResponse.Page(page with { NextCursor = ListCursors.Wrap(context, page.NextCursor) }));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var upsert = Upsert(context);
        var write = DocumentRequestReader.ReadWrite(await ReadBodyAsync(context), DocumentRequestReader.Verb.Create);

        // Document ids are UUIDv7 chosen here: time-ordered, so list cursors and the primary key follow creation order.
        var id = Guid.CreateVersion7();
        var result = await grains.GetGrain<IDocumentGrain>(caller.KeyFor(id.ToString())).CreateAsync(caller, write, upsert);
        var response = DocumentResponse.From(result.Document, result.Created);
        return result.Created ? TypedResults.Created($"/v1/documents/{result.Document.Id}", response) : TypedResults.Ok(response);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IGrainFactory grains, IAccessLog accessLog)
    {
        var caller = context.GetCaller();
        var document = await Grain(caller, grains, id).GetAsync(caller);
        accessLog.RecordReads(context, AccessLog.Read, [document]);
        return TypedResults.Ok(DocumentResponse.From(document));
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var grain = Grain(caller, grains, id);
        AllowClear(context.Request);
        var write = DocumentRequestReader.ReadWrite(await ReadBodyAsync(context), DocumentRequestReader.Verb.Put);
        return TypedResults.Ok(DocumentResponse.From(await grain.UpdateAsync(caller, write)));
    }

    private static async Task<IResult> PatchAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var grain = Grain(caller, grains, id);
        var patch = DocumentRequestReader.ReadPatch(await ReadBodyAsync(context));
        return TypedResults.Ok(DocumentResponse.From(await grain.PatchAsync(caller, patch)));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        await Grain(caller, grains, id).DeleteAsync(caller);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> VersionsAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var startFrom = QueryParams.Optional(context.Request, "startFrom");
        var page = await Grain(caller, grains, id).GetVersionsAsync(caller, startFrom, VersionsPageSize);
        return TypedResults.Ok(ModelDataVersionResponse.Page(page));
    }

    private static async Task<IResult> TextAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var text = await Grain(caller, grains, id).GetTextAsync(caller);
        return TypedResults.Ok(new DocumentTextResponse(text.Id.ToString(), text.Text));
    }

    /// <summary>
    /// Starts a file document (or, by externalId, re-issues a URL to the same one) and answers with a signed URL its bytes
    /// are PUT to (spec L2246); the document stays PENDING_UPLOAD until they arrive.
    /// </summary>
    private static async Task<IResult> UploadAsync(HttpContext context, IGrainFactory grains, FileUrls urls)
    {
        var caller = context.GetCaller();
        var upsert = Upsert(context);
        var upload = DocumentRequestReader.ReadUpload(await JsonBody.ReadAsync<JsonObject>(context.Request, context.RequestAborted));
        var id = Guid.CreateVersion7();
        var result = await grains.GetGrain<IDocumentGrain>(caller.KeyFor(id.ToString())).StartUploadAsync(caller, upload, upsert);
        var response = new FileUploadResponse(
            result.Created,
            result.Document.Id.ToString(),
            urls.UploadUrl(context.Request, caller.TenantId, caller.ContextId, result.Ticket, upload.FileType),
            Timestamps.Format(result.Ticket.ExpiresAt),
            result.Document.ExternalId);
        return result.Created ? TypedResults.Created($"/v1/documents/{response.Id}", response) : TypedResults.Ok(response);
    }

    private static async Task<IResult> DownloadAsync(string id, HttpContext context, IGrainFactory grains, FileUrls urls)
    {
        var caller = context.GetCaller();
        var download = await Grain(caller, grains, id).GetDownloadAsync(caller);
        return TypedResults.Ok(new DocumentDownloadResponse(
            download.DocumentId.ToString(),
            urls.DownloadUrl(context.Request, caller.TenantId, caller.ContextId, download),
            download.ExpiresAt.ToUnixTimeMilliseconds(),
            download.FileType));
    }

    private static async Task<IResult> LookupAsync(HttpContext context, IGrainFactory grains, IAccessLog accessLog)
    {
        var caller = context.GetCaller();
        var page = await grains.GetGrain<IDocumentQueryGrain>(caller.ContextKey).LookupAsync(caller, LookupQueries.FromQuery(context));
        accessLog.RecordReads(context, AccessLog.Lookup, page.Data);
        return TypedResults.Ok(DocumentResponse.Page(page with { NextCursor = ListCursors.Wrap(context, page.NextCursor) }));
    }

    private static async Task<IResult> LookupByBodyAsync(HttpContext context, IGrainFactory grains, IAccessLog accessLog)
    {
        var caller = context.GetCaller();
        var body = await JsonBody.ReadAsync<DocumentLookupRequest>(context.Request, context.RequestAborted);
        var query = LookupQueries.FromBody(context, body.Type, body.Field, body.Value, body.From, body.To, body.Prefix, body.Order,
            body.StartFrom, body.Limit, body.UserId, body.Scope, body with { StartFrom = null });
        var page = await grains.GetGrain<IDocumentQueryGrain>(caller.ContextKey).LookupAsync(caller, query);
        accessLog.RecordReads(context, AccessLog.Lookup, page.Data);
        return TypedResults.Ok(DocumentResponse.Page(page with { NextCursor = ListCursors.Wrap(context, page.NextCursor) }));
    }

    /// <summary>
    /// The body of a document write, which may carry up to <see cref="DocumentLimits.MaxTextBytes"/> of text: the
    /// server-wide body cap is lifted to <see cref="DocumentLimits.MaxJsonRequestBytes"/> for these routes only.
    /// </summary>
    private static Task<JsonObject> ReadBodyAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit
            && (limit.MaxRequestBodySize is null || limit.MaxRequestBodySize < DocumentLimits.MaxJsonRequestBytes))
        {
            limit.MaxRequestBodySize = DocumentLimits.MaxJsonRequestBytes;
        }

        return JsonBody.ReadAsync<JsonObject>(context.Request, context.RequestAborted);
    }

    /// <summary><c>?upsert=true</c> overwrites a match, so it also needs <c>documents:u</c> (spec L1770).</summary>
    private static bool Upsert(HttpContext context)
    {
        var upsert = QueryParams.Flag(context.Request, "upsert");
        DemandUpsert(context, upsert);
        AllowClear(context.Request);
        return upsert;
    }

    /// <summary>An upsert overwrites a match, so it also needs <c>documents:u</c>; shared with the gRPC ingest.</summary>
    internal static void DemandUpsert(HttpContext context, bool upsert)
    {
        if (upsert)
        {
            context.Demand("documents:u");
        }
    }

    /// <summary>
    /// 0.40 <c>?allowClear=</c> guards a full replace that would drop fields of an externalized payload the caller never
    /// saw. Payloads are always stored inline here, so nothing unseen can be dropped: the flag is checked for shape only.
    /// </summary>
    private static void AllowClear(HttpRequest request) => QueryParams.Flag(request, "allowClear");

    /// <summary>The document's grain in the caller's context. A malformed id is as absent as a missing one.</summary>
    internal static IDocumentGrain Grain(CallerContext caller, IGrainFactory grains, string id) =>
        Guid.TryParse(id, out var documentId)
            ? grains.GetGrain<IDocumentGrain>(caller.KeyFor(documentId.ToString()))
            : throw new NotFoundException("No document exists with this id.");

    private static Guid? Uuid(HttpRequest request, string name) =>
        QueryParams.Optional(request, name) is { } raw
            ? Guid.TryParse(raw, out var id) ? id : throw new ValidationException(name, $"{name} must be a UUID.")
            : null;
}
