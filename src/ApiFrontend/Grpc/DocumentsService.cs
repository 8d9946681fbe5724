using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Endpoints;
using Vectros.ApiFrontend.Http;
using Vectros.ApiFrontend.Logs;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Documents;
using Vectros.V1;
using V1 = Vectros.V1;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// <c>vectros.v1.Documents</c>: the handlers of <see cref="DocumentsApi"/> (and, for a file's bytes,
/// <see cref="DocumentFilesApi"/>) with proto messages for JSON. Same route scopes (<c>documents:r|c|u|d</c>), same
/// grains, same readers; the data scope, sensitive masking and the 404 for a foreign id are the grains'.
/// </summary>
public sealed class DocumentsService(IGrainFactory grains, IAccessLog accessLog, IConfiguration configuration) : Documents.DocumentsBase
{
    [GrpcWrite]
    public override async Task<V1.Document> IngestDocument(IngestDocumentRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("documents:c");
        DocumentsApi.DemandUpsert(http, request.Upsert);
        var caller = http.GetCaller();
        var write = DocumentRequestReader.ReadWrite(DocumentMessages.Body(request), DocumentRequestReader.Verb.Create);
        var id = Guid.CreateVersion7();
        var result = await grains.GetGrain<IDocumentGrain>(caller.KeyFor(id.ToString())).CreateAsync(caller, write, request.Upsert);
        return DocumentMessages.From(result.Document, result.Created);
    }

    /// <summary>
    /// The two HTTP steps of a file document in one call: <c>POST /v1/documents/upload</c> starts it and issues the
    /// ticket, then the bytes go to the grain with that ticket exactly as the signed-URL PUT hands them over (the grain
    /// checks the ticket, the size bound and the type again, stores the file, marks it UPLOADED and queues indexing).
    /// Everything that can be refused from the request alone is refused first, so a refusal leaves no pending document.
    /// </summary>
    [GrpcWrite]
    public override async Task<IngestFileResponse> IngestFile(IngestFileRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("documents:c");
        DocumentsApi.DemandUpsert(http, request.Upsert);
        var caller = http.GetCaller();
        var upload = DocumentRequestReader.ReadUpload(DocumentMessages.Body(request));
        if (request.Content.IsEmpty)
        {
            throw new ValidationException("content", "content is empty: send the file's bytes.");
        }

        var maxBytes = MaxFileBytes(configuration);
        if (request.Content.Length > maxBytes)
        {
            throw new TooLargeException(DocumentFilesApi.TooLargeMessage(maxBytes));
        }

        var id = Guid.CreateVersion7();
        var started = await grains.GetGrain<IDocumentGrain>(caller.KeyFor(id.ToString())).StartUploadAsync(caller, upload, request.Upsert);
        var bytes = request.Content.ToByteArray();
        await grains.GetGrain<IDocumentGrain>(caller.KeyFor(started.Ticket.DocumentId.ToString()))
            .StoreUploadAsync(new UploadContent(started.Ticket.TicketId, upload.FileType, bytes));
        var response = new IngestFileResponse
        {
            Created = started.Created,
            Id = started.Document.Id.ToString(),
            FileSize = bytes.LongLength,
            // What StoreUploadAsync leaves the document in (IDocumentGrain); the indexer takes it on from there.
            IndexStatus = IndexStatus.Uploaded,
        };
        if (started.Document.ExternalId is { } externalId)
        {
            response.ExternalId = externalId;
        }

        return response;
    }

    public override async Task<V1.Document> GetDocument(GetDocumentRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("documents:r");
        var caller = http.GetCaller();
        var document = await DocumentsApi.Grain(caller, grains, request.Id).GetAsync(caller);
        accessLog.RecordReads(http, AccessLog.Read, [document]);
        return DocumentMessages.From(document);
    }

    /// <summary>
    /// The same read as <see cref="GetDocument"/>, answering only the processing state: no payload value leaves, so
    /// there is nothing for the read-access log to record.
    /// </summary>
    public override async Task<DocumentStatus> GetDocumentStatus(GetDocumentRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("documents:r");
        var caller = http.GetCaller();
        return DocumentMessages.Status(await DocumentsApi.Grain(caller, grains, request.Id).GetAsync(caller));
    }

    public override async Task<V1.DocumentText> GetDocumentText(GetDocumentRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("documents:r");
        var caller = http.GetCaller();
        var text = await DocumentsApi.Grain(caller, grains, request.Id).GetTextAsync(caller);
        return new V1.DocumentText { Id = text.Id.ToString(), Text = text.Text };
    }

    [GrpcWrite]
    public override async Task<V1.Document> UpdateDocument(UpdateDocumentRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("documents:u");
        var caller = http.GetCaller();
        var grain = DocumentsApi.Grain(caller, grains, request.Id);
        var write = DocumentRequestReader.ReadWrite(DocumentMessages.Body(request), DocumentRequestReader.Verb.Put);
        return DocumentMessages.From(await grain.UpdateAsync(caller, write));
    }

    [GrpcWrite]
    public override async Task<V1.Document> PatchDocument(PatchDocumentRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("documents:u");
        var caller = http.GetCaller();
        var grain = DocumentsApi.Grain(caller, grains, request.Id);
        return DocumentMessages.From(await grain.PatchAsync(caller, DocumentRequestReader.ReadPatch(DocumentMessages.Body(request))));
    }

    [GrpcWrite]
    public override async Task<Empty> DeleteDocument(DeleteDocumentRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("documents:d");
        var caller = http.GetCaller();
        await DocumentsApi.Grain(caller, grains, request.Id).DeleteAsync(caller);
        return new Empty();
    }

    public override async Task<V1.DocumentPage> ListDocuments(ListDocumentsRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("documents:r");
        var caller = http.GetCaller();
        var query = new DocumentListQuery
        {
            FolderId = QueryParams.Uuid(request.HasFolderId ? request.FolderId : null, "folderId"),
            UserId = QueryParams.Uuid(request.HasUserId ? request.UserId : null, "userId"),
            Scopes = request.HasScope ? [OwnershipScopes.ReadFilter(request.Scope)] : [],
            StartFrom = GrpcRequests.Cursor(http, request.HasStartFrom ? request.StartFrom : null, request.Clone(), r => r.ClearStartFrom()),
            Limit = QueryParams.Limit(request.HasLimit ? request.Limit : null),
        };
        var page = await grains.GetGrain<IDocumentQueryGrain>(caller.ContextKey).ListAsync(caller, query);
        accessLog.RecordReads(http, AccessLog.List, page.Data);
        return DocumentMessages.Page(page, ListCursors.Wrap(http, page.NextCursor));
    }

    public override async Task<V1.DocumentPage> LookupDocuments(LookupDocumentsRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("documents:r");
        var caller = http.GetCaller();
        string? Opt(bool has, string value) => has ? value : null;
        var canonical = request.Clone();
        canonical.ClearStartFrom();
        var query = LookupQueries.FromBody(http, request.Type, request.Field, Opt(request.HasValue, request.Value),
            Opt(request.HasFrom, request.From), Opt(request.HasTo, request.To), Opt(request.HasPrefix, request.Prefix),
            Opt(request.HasOrder, request.Order), Opt(request.HasStartFrom, request.StartFrom), request.HasLimit ? request.Limit : null,
            Opt(request.HasUserId, request.UserId), Opt(request.HasScope, request.Scope), canonical.ToString());
        var page = await grains.GetGrain<IDocumentQueryGrain>(caller.ContextKey).LookupAsync(caller, query);
        accessLog.RecordReads(http, AccessLog.Lookup, page.Data);
        return DocumentMessages.Page(page, ListCursors.Wrap(http, page.NextCursor));
    }

    public override async Task<V1.VersionPage> GetDocumentVersions(GetDocumentVersionsRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand("documents:r");
        var caller = http.GetCaller();
        var page = await DocumentsApi.Grain(caller, grains, request.Id)
            .GetVersionsAsync(caller, request.HasStartFrom ? request.StartFrom : null, DocumentsApi.VersionsPageSize);
        return RecordMessages.Versions(page);
    }

    /// <summary>
    /// The largest request this service takes: a file of <c>Vectros:Documents:MaxFileBytes</c> with as much metadata
    /// as an HTTP upload body may carry, and a text document as large as the HTTP write routes accept.
    /// </summary>
    public static int MaxReceiveMessageBytes(IConfiguration configuration, int serverWide)
    {
        var apiBody = configuration.GetSection(ApiOptions.Section).Get<ApiOptions>()?.MaxRequestBodyBytes ?? new ApiOptions().MaxRequestBodyBytes;
        var largest = Math.Max(Math.Max(serverWide, DocumentLimits.MaxJsonRequestBytes), MaxFileBytes(configuration) + apiBody);
        return (int)Math.Min(largest, int.MaxValue);
    }

    /// <summary>
    /// The upload bound the document grains issue tickets with (<see cref="DocumentOptions"/>, read from the same
    /// configuration): a front end in the client role has no grain services, so it reads the setting, not the options.
    /// The grain still checks the ticket's own bound when the bytes arrive.
    /// </summary>
    private static long MaxFileBytes(IConfiguration configuration) =>
        configuration.GetSection(DocumentOptions.Section).Get<DocumentOptions>()?.MaxFileBytes ?? new DocumentOptions().MaxFileBytes;
}
