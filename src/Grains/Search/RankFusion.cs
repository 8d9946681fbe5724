using Vectros.Grains.Abstractions.Search;

namespace Vectros.Grains.Search;

/// <summary>One fused candidate: the chunk to show, its fused score and what each lane said of it.</summary>
/// <param name="Hit">The chunk shown: the one the better-ranking lane returned (they differ only per source).</param>
/// <param name="Score">Reciprocal Rank Fusion normalised to (0, 1]: 1 = first in every lane that ran.</param>
/// <param name="TextScore">The text lane's score, or null when it did not return this candidate.</param>
/// <param name="VectorScore">The vector lane's similarity, or null when it did not return this candidate.</param>
internal sealed record FusedHit(LaneHit Hit, double Score, double? TextScore, double? VectorScore, int BestRank);

/// <summary>
/// Reciprocal Rank Fusion (Cormack, Clarke and Büttcher, SIGIR 2009): score(d) = Σ over lanes of 1 / (k + rank(d)),
/// 1-based ranks, absent from a lane = no term. It needs no calibration between ts_rank_cd and cosine similarity,
/// which live on unrelated scales. Candidates are chunks, or sources when each lane already kept one chunk per
/// source (uniqueDocuments), so a source found by both lanes through different chunks still gets both terms.
/// </summary>
internal static class RankFusion
{
    public static List<FusedHit> Fuse(IReadOnlyList<LaneHit>? text, IReadOnlyList<LaneHit>? vector, int k, bool bySource)
    {
        var lanes = (text is null ? 0 : 1) + (vector is null ? 0 : 1);
        var best = lanes / (double)(k + 1);
        var fused = new Dictionary<(string, Guid, int), Entry>();
        Add(text, isText: true);
        Add(vector, isText: false);
        return [.. fused.Values
            .Select(e => new FusedHit(e.Hit, e.Sum / best, e.Text, e.Vector, e.BestRank))
            .OrderByDescending(f => f.Score).ThenBy(f => f.BestRank).ThenBy(f => f.Hit.SourceId).ThenBy(f => f.Hit.Ordinal)];

        void Add(IReadOnlyList<LaneHit>? hits, bool isText)
        {
            for (var i = 0; hits is not null && i < hits.Count; i++)
            {
                var hit = hits[i];
                var rank = i + 1;
                var key = (hit.SourceKind, hit.SourceId, bySource ? 0 : hit.Ordinal);
                var entry = fused.TryGetValue(key, out var found) ? found : fused[key] = new Entry(hit, rank);
                entry.Sum += 1d / (k + rank);
                if (rank < entry.BestRank)
                {
                    (entry.Hit, entry.BestRank) = (hit, rank);
                }

                if (isText)
                {
                    entry.Text = hit.Score;
                }
                else
                {
                    entry.Vector = hit.Score;
                }
            }
        }
    }

    private sealed class Entry(LaneHit hit, int rank)
    {
        public LaneHit Hit { get; set; } = hit;

        public int BestRank { get; set; } = rank;

        public double Sum { get; set; }

        public double? Text { get; set; }

        public double? Vector { get; set; }
    }
}
