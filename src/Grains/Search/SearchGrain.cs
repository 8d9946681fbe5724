using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Search;
using Vectros.Grains.Indexing;
using Vectros.Grains.Metering;

namespace Vectros.Grains.Search;

/// <summary>
/// The search coordinator of one context. Starts the text lane, embeds the query meanwhile and starts the vector
/// lane, then fuses what came back (Reciprocal Rank Fusion in HYBRID, <see cref="RankFusion"/>), cuts the page and
/// reads its chunks. A lane that fails or times out degrades the search to the survivor (spec SearchResponse
/// <c>degraded</c>), or fails it with 503 when the request said <c>requireComplete</c> or no lane is left. It holds
/// no state, so searches interleave on one activation while they wait for the database (<c>[Reentrant]</c>).
/// </summary>
[StatelessWorker, Reentrant]
public sealed partial class SearchGrain(
    NpgsqlDataSource dataSource,
    IEmbedder embedder,
    IOptions<SearchOptions> options,
    IUsageMeter meter,
    ILogger<SearchGrain> logger) : Grain, ISearchGrain
{
    private const string TextLeg = "text";
    private const string VectorLeg = "vector";

    private readonly SearchHydrator _hydrator = new(dataSource);
    private readonly SearchFieldCatalog _catalog = new(dataSource);

    async Task<SearchOutcome> ISearchGrain.SearchAsync(CallerContext caller, SearchQuery query, CancellationToken cancellationToken)
    {
        var (tenantId, contextId) = LaneKey.Check(this, caller);
        var settings = options.Value;
        var lane = new LaneQuery
        {
            Scope = await ScopeAsync(tenantId, contextId, query, cancellationToken),
            Depth = Depth(query, settings),
            UniqueSources = query.UniqueDocuments,
            Text = query.Query,
            TextMode = query.EffectiveTextMode,
            Slop = query.EffectiveSlop,
            MinRelevance = query.MinTextRelevance,
            MinSimilarity = query.MinSimilarity,
        };

        // After the filter is read (a bad one answers 400, never 402); counted only once the search answered.
        await meter.DemandAllowanceAsync(tenantId, cancellationToken);

        // The text lane needs no embedding: it runs while the query is embedded.
        var textTask = query.Mode == SearchMode.Semantic ? null : GrainFactory.GetGrain<ITextLaneGrain>(caller.ContextKey).SearchAsync(caller, lane, cancellationToken);
        var vectorTask = query.Mode == SearchMode.Text ? null : VectorAsync(caller, lane, cancellationToken);
        var degraded = new List<string>();
        var text = await SettleAsync(textTask, TextLeg, degraded, tenantId, contextId, cancellationToken);
        var (vectorHits, vector) = vectorTask is null ? (null, null) : await vectorTask;
        if (vectorTask is not null && vectorHits is null)
        {
            degraded.Add(VectorLeg);
        }

        if (degraded.Count > 0 && (query.RequireComplete || (text is null && vectorHits is null)))
        {
            throw new UnavailableException($"The {string.Join(" and ", degraded)} search engine is unavailable; retry the request"
                + (query.RequireComplete ? ", or send it without requireComplete to accept partial results." : "."));
        }

        var fused = RankFusion.Fuse(text?.Hits, vectorHits?.Hits, settings.RrfK, query.UniqueDocuments);
        var page = fused.Skip(query.Offset).Take(query.Limit).ToList();
        // Snippets highlight the query's terms (any of them for SEMANTIC); not when the text machinery just failed.
        TextMode? highlight = degraded.Contains(TextLeg) ? null : query.Mode == SearchMode.Semantic ? TextMode.Or : lane.TextMode;
        var rows = await _hydrator.ReadAsync(tenantId, contextId, [.. page.Select(f => f.Hit)], highlight, query.Query,
            query.Mode == SearchMode.Semantic ? 0 : lane.Slop, vector, cancellationToken);

        var results = new List<SearchHit>(page.Count);
        for (var i = 0; i < page.Count; i++)
        {
            var hit = page[i].Hit;
            if (rows.TryGetValue((hit.SourceKind, hit.SourceId, hit.Ordinal), out var row))
            {
                results.Add(Result(query.Mode, page[i], row, position: query.Offset + i + 1));
            }
        }

        await meter.CountAsync(tenantId, contextId, [new(query.Mode switch
        {
            SearchMode.Text => UsageMetrics.SearchText,
            SearchMode.Semantic => UsageMetrics.SearchSemantic,
            _ => UsageMetrics.SearchHybrid,
        }, 1)]);
        return new SearchOutcome
        {
            Results = results,
            TotalResults = query.Mode switch
            {
                SearchMode.Text => text!.Total,
                SearchMode.Semantic => vectorHits!.Total,
                _ => Math.Max(text?.Total ?? 0, fused.Count),
            },
            HasMore = fused.Count > query.Offset + query.Limit && query.Offset + query.Limit <= SearchLimits.MaxOffset,
            DegradedLegs = degraded,
        };
    }

    /// <summary>
    /// Candidates each lane returns: one past the page (that one tells hasMore); in HYBRID at least
    /// <see cref="SearchOptions.HybridCandidates"/>, so fusion can lift a chunk that one lane ranks low.
    /// </summary>
    private static int Depth(SearchQuery query, SearchOptions settings)
    {
        var wanted = query.Offset + query.Limit + 1;
        return query.Mode == SearchMode.Hybrid ? Math.Max(wanted, settings.HybridCandidates) : wanted;
    }

    /// <summary>
    /// Scores by mode: HYBRID reports the fused score with each lane's own score beside it; a single-lane mode's
    /// score is that lane's. TEXT mode's textScore is rank-derived (0.40: 1 / position, descending within a response).
    /// </summary>
    private static SearchHit Result(SearchMode mode, FusedHit fused, ChunkRow row, int position)
    {
        var semantic = mode == SearchMode.Text ? 0 : row.Similarity ?? fused.VectorScore ?? 0;
        var text = mode switch
        {
            SearchMode.Text => 1d / position,
            SearchMode.Hybrid => fused.TextScore ?? 0,
            _ => 0,
        };
        return new SearchHit
        {
            SourceId = fused.Hit.SourceId,
            SourceKind = fused.Hit.SourceKind,
            Ordinal = fused.Hit.Ordinal,
            Score = mode switch
            {
                SearchMode.Text => text,
                SearchMode.Semantic => fused.VectorScore ?? semantic,
                _ => fused.Score,
            },
            TextScore = text,
            SemanticScore = semantic,
            ChunkText = row.ChunkText,
            ContextText = row.ContextText,
            Snippet = Snippets.Html(row.Headline, row.ChunkText),
            ExternalId = row.ExternalId,
            Metadata = row.Metadata,
            CreatedAt = row.CreatedAt,
            TypeName = row.TypeName,
            Title = row.Title,
        };
    }

    private async Task<ChunkScope> ScopeAsync(string tenantId, string contextId, SearchQuery query, CancellationToken cancellationToken)
    {
        IReadOnlyList<FieldCondition> conditions = [];
        if (query.Filters is { Count: > 0 } filters)
        {
            var clauses = SearchFilterReader.Read(filters);
            var payloadFields = clauses.Select(c => c.Field).Where(f => !SearchFilterResolver.IsOwnershipField(f)).Distinct(StringComparer.Ordinal).ToList();
            var known = await _catalog.KnownAsync(tenantId, contextId, payloadFields, cancellationToken);
            conditions = SearchFilterResolver.Resolve(clauses, known);
        }

        return new ChunkScope
        {
            Documents = query.Documents,
            Records = query.Records,
            FolderId = query.FolderId,
            RootFolderId = query.RootFolderId,
            TypeName = query.TypeName,
            CreatedAfter = query.CreatedAfter,
            CreatedBefore = query.CreatedBefore,
            UserId = query.UserId,
            Scopes = query.Scopes,
            Conditions = conditions,
        };
    }

    /// <summary>Embeds the query, then asks the vector lane; (null, …) when either step fails (the vector leg is down).</summary>
    private async Task<(LaneResult? Hits, float[]? Vector)> VectorAsync(CallerContext caller, LaneQuery lane, CancellationToken cancellationToken)
    {
        float[] vector;
        try
        {
            vector = (await embedder.EmbedAsync([lane.Text], cancellationToken).WaitAsync(options.Value.LaneTimeout, cancellationToken))[0];
        }
        catch (Exception e) when (e is not VectrosException && !cancellationToken.IsCancellationRequested)
        {
            LogLaneFailed(logger, e, VectorLeg, caller.TenantId, caller.ContextId);
            return (null, null);
        }

        var hits = await SettleAsync(
            GrainFactory.GetGrain<IVectorLaneGrain>(caller.ContextKey).SearchAsync(caller, lane with { Vector = vector }, cancellationToken),
            VectorLeg, null, caller.TenantId, caller.ContextId, cancellationToken);
        return (hits, vector);
    }

    /// <summary>
    /// A lane's answer, or null when it failed or timed out; the caller's own mistakes (400s) are not failures, and
    /// neither is the caller going away: that cancellation ends the search rather than degrading it.
    /// </summary>
    private async Task<LaneResult?> SettleAsync(
        Task<LaneResult>? task, string leg, List<string>? degraded, string tenantId, string contextId, CancellationToken cancellationToken)
    {
        if (task is null)
        {
            return null;
        }

        try
        {
            return await task.WaitAsync(options.Value.LaneTimeout, cancellationToken);
        }
        catch (Exception e) when (e is not VectrosException && !cancellationToken.IsCancellationRequested)
        {
            LogLaneFailed(logger, e, leg, tenantId, contextId);
            degraded?.Add(leg);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search {Leg} lane failed in {TenantId}#{ContextId}; the search is degraded")]
    private static partial void LogLaneFailed(ILogger logger, Exception exception, string leg, string tenantId, string contextId);
}
