using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Endpoints;
using Vectros.ApiFrontend.Http;
using Vectros.ApiFrontend.Logs;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;
using Vectros.V1;
using V1 = Vectros.V1;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// <c>vectros.v1.Records</c>: the handlers of <see cref="RecordsApi"/> with proto messages for JSON. Same grains, same
/// readers, same per-type scope checks (inside the grains), same 404 for a foreign id.
/// </summary>
public sealed class RecordsService(IGrainFactory grains, IAccessLog accessLog) : Records.RecordsBase
{
    [GrpcWrite]
    public override async Task<Record> CreateRecord(CreateRecordRequest request, ServerCallContext context)
    {
        var caller = context.GetHttpContext().GetCaller();
        var write = RecordRequestReader.ReadWrite(RecordMessages.Body(request.Record ?? new RecordFields()), RecordRequestReader.Verb.Create);
        var id = Guid.CreateVersion7();
        var result = await grains.GetGrain<IRecordGrain>(caller.KeyFor(id.ToString())).CreateAsync(caller, write, request.Upsert, context.CancellationToken);
        return RecordMessages.From(result.Record, result.Created);
    }

    public override async Task<Record> GetRecord(GetRecordRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var caller = http.GetCaller();
        var record = await RecordsApi.Grain(caller, grains, request.Id).GetAsync(caller, context.CancellationToken);
        accessLog.RecordReads(http, AccessLog.Read, [record]);
        return RecordMessages.From(record);
    }

    [GrpcWrite]
    public override async Task<Record> UpdateRecord(UpdateRecordRequest request, ServerCallContext context)
    {
        var caller = context.GetHttpContext().GetCaller();
        var grain = RecordsApi.Grain(caller, grains, request.Id);
        var write = RecordRequestReader.ReadWrite(RecordMessages.Body(request.Record ?? new RecordFields()), RecordRequestReader.Verb.Put);
        return RecordMessages.From(await grain.UpdateAsync(caller, write));
    }

    [GrpcWrite]
    public override async Task<Record> PatchRecord(PatchRecordRequest request, ServerCallContext context)
    {
        var caller = context.GetHttpContext().GetCaller();
        var grain = RecordsApi.Grain(caller, grains, request.Id);
        return RecordMessages.From(await grain.PatchAsync(caller, RecordRequestReader.ReadPatch(RecordMessages.Body(request))));
    }

    [GrpcWrite]
    public override async Task<Empty> DeleteRecord(DeleteRecordRequest request, ServerCallContext context)
    {
        var caller = context.GetHttpContext().GetCaller();
        await RecordsApi.Grain(caller, grains, request.Id).DeleteAsync(caller);
        return new Empty();
    }

    public override async Task<Record> GetRecordTombstone(GetRecordRequest request, ServerCallContext context)
    {
        var caller = context.GetHttpContext().GetCaller();
        return RecordMessages.From(await RecordsApi.Grain(caller, grains, request.Id).GetTombstoneAsync(caller));
    }

    public override async Task<V1.RecordPage> ListRecords(ListRecordsRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var caller = http.GetCaller();
        var query = new RecordListQuery
        {
            Recent = request.Recent,
            Type = request.HasType ? request.Type : null,
            FolderId = QueryParams.Uuid(request.HasFolderId ? request.FolderId : null, "folderId"),
            UserId = QueryParams.Uuid(request.HasUserId ? request.UserId : null, "userId"),
            Scopes = [.. request.Scopes.Select(s => OwnershipScopes.ReadFilter(s))],
            IncludePayload = request.IncludePayload,
            StartFrom = GrpcRequests.Cursor(http, request.HasStartFrom ? request.StartFrom : null, request.Clone(), r => r.ClearStartFrom()),
            Limit = QueryParams.Limit(request.HasLimit ? request.Limit : null),
        };
        RecordsApi.CheckListMode(query);
        var page = await grains.GetGrain<IRecordQueryGrain>(caller.ContextKey).ListAsync(caller, query, context.CancellationToken);
        accessLog.RecordReads(http, AccessLog.List, page.Data);
        return RecordMessages.Page(page, ListCursors.Wrap(http, page.NextCursor));
    }

    public override async Task<V1.RecordPage> LookupRecords(LookupRecordsRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var caller = http.GetCaller();
        string? Opt(bool has, string value) => has ? value : null;
        var canonical = request.Clone();
        canonical.ClearStartFrom();
        var query = LookupQueries.FromBody(http, request.Type, request.Field, Opt(request.HasValue, request.Value),
            Opt(request.HasFrom, request.From), Opt(request.HasTo, request.To), Opt(request.HasPrefix, request.Prefix),
            Opt(request.HasOrder, request.Order), Opt(request.HasStartFrom, request.StartFrom), request.HasLimit ? request.Limit : null,
            Opt(request.HasUserId, request.UserId), Opt(request.HasScope, request.Scope), canonical.ToString()) with
        {
            Values = request.Values.Count > 0 ? [.. request.Values] : null,
            SortFrom = Opt(request.HasSortFrom, request.SortFrom),
            SortTo = Opt(request.HasSortTo, request.SortTo),
            IncludePayload = request.IncludePayload,
        };
        var page = await grains.GetGrain<IRecordQueryGrain>(caller.ContextKey).LookupAsync(caller, query, context.CancellationToken);
        accessLog.RecordReads(http, AccessLog.Lookup, page.Data);
        return RecordMessages.Page(page, ListCursors.Wrap(http, page.NextCursor));
    }

    public override async Task<V1.VersionPage> GetRecordVersions(GetRecordVersionsRequest request, ServerCallContext context)
    {
        var caller = context.GetHttpContext().GetCaller();
        var page = await RecordsApi.Grain(caller, grains, request.Id)
            .GetVersionsAsync(caller, request.HasStartFrom ? request.StartFrom : null, RecordsApi.VersionsPageSize);
        return RecordMessages.Versions(page);
    }
}
