using Orleans;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Search;

/// <summary>
/// The search coordinator of one context (keyed <c>tenant#context</c>): embeds the query, fans out to the text and
/// vector lanes in parallel, fuses their rankings and reads the page of results.
/// </summary>
[Alias("vectros.ISearchGrain")]
public interface ISearchGrain : IGrainWithStringKey
{
    /// <summary><c>POST /v1/search</c>.</summary>
    Task<SearchOutcome> SearchAsync(CallerContext caller, SearchQuery query, CancellationToken cancellationToken = default);
}
