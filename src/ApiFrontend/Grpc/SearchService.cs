using System.Diagnostics;
using System.Text.Json.Nodes;
using Grpc.Core;
using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Endpoints;
using Vectros.Grains.Abstractions.Search;
using V1 = Vectros.V1;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// <c>vectros.v1.Search</c>: <see cref="SearchApi"/> with proto messages for JSON. Same scope (<c>search:r</c>, demanded
/// as the route's <c>RequireScope</c> does), same reader, same grain; each hit is one message,
/// then the summary. The call's cancellation (client gone, deadline passed) reaches the grain and its SQL.
/// </summary>
public sealed class SearchService(IGrainFactory grains) : V1.Search.SearchBase
{
    public override async Task Search(V1.SearchRequest request, IServerStreamWriter<V1.SearchEvent> responseStream, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var http = context.GetHttpContext();
        http.Demand("search:r");
        var caller = http.GetCaller();
        var query = SearchRequestReader.Read(Body(request));
        var outcome = await grains.GetGrain<ISearchGrain>(caller.ContextKey).SearchAsync(caller, query, context.CancellationToken);
        var response = SearchResponse.From(outcome, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        foreach (var hit in outcome.Results)
        {
            await responseStream.WriteAsync(new V1.SearchEvent { Hit = Hit(hit) }, context.CancellationToken);
        }

        await responseStream.WriteAsync(new V1.SearchEvent
        {
            Summary = new V1.SearchSummary
            {
                TotalResults = response.TotalResults,
                SearchTimeMs = response.SearchTimeMs,
                Degraded = response.Degraded,
                DegradedLegs = { response.DegradedLegs },
                HasMore = response.HasMore,
            },
        }, context.CancellationToken);
    }

    /// <summary>The HTTP body the proto request stands for, for <see cref="SearchRequestReader"/>.</summary>
    internal static SearchRequest Body(V1.SearchRequest request) => new()
    {
        Query = request.Query,
        Mode = ProtoValues.Wire(request.Mode),
        Limit = request.HasLimit ? request.Limit : null,
        Offset = request.HasOffset ? request.Offset : null,
        UserId = request.HasUserId ? request.UserId : null,
        OrgId = request.HasOrgId ? request.OrgId : null,
        ClientId = request.HasClientId ? request.ClientId : null,
        Scope = request.HasScope ? request.Scope : null,
        Filters = Filters(request.Filters),
        TextMode = ProtoValues.Wire(request.TextMode),
        MinSimilarity = request.HasMinSimilarity ? request.MinSimilarity : null,
        MinTextRelevance = request.HasMinTextRelevance ? request.MinTextRelevance : null,
        Slop = request.HasSlop ? request.Slop : null,
        UniqueDocuments = request.HasUniqueDocuments ? request.UniqueDocuments : null,
        ContentTypes = ContentTypes(request.ContentTypes),
        FolderId = request.HasFolderId ? request.FolderId : null,
        RootFolderId = request.HasRootFolderId ? request.RootFolderId : null,
        TypeName = request.HasTypeName ? request.TypeName : null,
        CreatedAfter = request.CreatedAfter is { } after ? ProtoValues.FormatTimestamp(after) : null,
        CreatedBefore = request.CreatedBefore is { } before ? ProtoValues.FormatTimestamp(before) : null,
        RequireComplete = request.HasRequireComplete ? request.RequireComplete : null,
    };

    internal static JsonObject? Filters(Google.Protobuf.WellKnownTypes.Struct? filters) => ProtoValues.ToJson(filters) as JsonObject;

    /// <summary>The HTTP wire names; an undefined number passes as its text, which the reader refuses naming the field.</summary>
    internal static IReadOnlyList<string>? ContentTypes(IEnumerable<V1.ContentType> types) =>
        [.. types.Select(t => t switch
        {
            V1.ContentType.Documents => "documents",
            V1.ContentType.Records => "records",
            _ => t.ToString(),
        })];

    internal static V1.SearchHit Hit(SearchHit hit)
    {
        var result = SearchResult.From(hit);
        var message = new V1.SearchHit
        {
            DocumentId = result.DocumentId,
            Score = result.Score,
            TextScore = result.TextScore,
            SemanticScore = result.SemanticScore,
            ChunkText = result.ChunkText,
            ContextText = result.ContextText,
            Snippet = result.Snippet,
            SourceType = result.SourceType == "GenericRecord" ? V1.SourceType.GenericRecord : V1.SourceType.PartnerDocument,
            Metadata = ProtoValues.ToStruct(hit.Metadata),
            CreatedAt = ProtoValues.ToTimestamp(hit.CreatedAt),
        };
        if (result.ExternalId is { } externalId)
        {
            message.ExternalId = externalId;
        }

        return message;
    }
}
