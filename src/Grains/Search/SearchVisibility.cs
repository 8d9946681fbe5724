using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Search;

/// <summary>
/// Which chunks a caller may see in search results (issue #9 item 7): a document's needs <c>documents:r</c>, a record's
/// <c>records:r:&lt;type&gt;</c>, each granted by a clause whose data scope matches the source's ownership, decided by
/// <see cref="CallerContext.Permits"/>, the one evaluator.
/// <para>
/// Why lanes over-fetch and filter rather than compile clauses to SQL: placeholders resolve against per-request facts
/// (membership, parents) that only the evaluator knows, and a second translation could drift from it. Each lane drops
/// invisible candidates BEFORE fusion and before its cut to <c>depth</c>, deepening its scan (×<see cref="Growth"/>,
/// at most <see cref="MaxRounds"/> times) until it holds <c>depth</c> visible candidates or runs out; so RRF ranks
/// exactly the visible set, and the page cut to <c>limit</c> and <c>hasMore</c> count visible chunks only. Past the
/// last round a lane answers with what it found (a shorter, never a wrong, ranking).
/// </para>
/// </summary>
internal static class SearchVisibility
{
    public const int Growth = 4;
    public const int MaxRounds = 3;

    /// <summary>Root keys read everything in their context: no filtering, no over-fetch.</summary>
    public static bool Unrestricted(CallerContext caller) => caller.IsRoot;

    public static bool Visible(CallerContext caller, string sourceKind, string? typeName, Guid? userId, string[] scopes) =>
        sourceKind == "document"
            ? caller.MayRead("documents:r", userId, scopes)
            : caller.MayRead($"records:r:{typeName ?? "_"}", userId, scopes);
}
