using System.Text;
using Vectros.Grains.Abstractions.Search;

namespace Vectros.Grains.Inference;

/// <summary>
/// The prompt of a grounded call (RAG, ask): the passages rendered for a remote model with their citation ids, and
/// structured for the extractive answerer; plus the RAG context budget, which drops the lowest-scoring results first.
/// </summary>
public static class GroundedPrompt
{
    public const string System =
        "Answer the question using only the sources below. Cite every source you use inline as [id], with the id exactly as given. "
        + "If the sources do not answer the question, say so plainly.";

    /// <summary>Tokens a passage costs in the prompt beyond its text (its id line and separators).</summary>
    private const int PassageOverheadTokens = 16;

    public static ChatModelPrompt Build(IReadOnlyList<GroundingPassage> passages, string question, string? instructions, int maxTokens, double temperature, double? topP)
    {
        var user = new StringBuilder("Sources:\n");
        foreach (var passage in passages)
        {
            user.Append('[').Append(passage.CitationId).Append(']');
            if (!string.IsNullOrEmpty(passage.Title))
            {
                user.Append(' ').Append(passage.Title);
            }

            user.Append('\n').Append(passage.Text).Append("\n\n");
        }

        user.Append("Question: ").Append(question);
        return new ChatModelPrompt
        {
            System = string.IsNullOrWhiteSpace(instructions) ? System : $"{System}\n\n{instructions}",
            Turns = [new ChatModelTurn("user", user.ToString())],
            Passages = passages,
            Question = question,
            MaxTokens = maxTokens,
            Temperature = temperature,
            TopP = topP,
        };
    }

    /// <summary>Tokens the fixed part of a grounded prompt takes (system text, instructions, question).</summary>
    public static int FixedTokens(string question, string? instructions) =>
        TokenEstimator.Count(System) + TokenEstimator.Count(instructions) + TokenEstimator.Count(question) + PassageOverheadTokens;

    public static int PassageTokens(GroundingPassage passage) =>
        TokenEstimator.Count(passage.Text) + TokenEstimator.Count(passage.Title) + TokenEstimator.Count(passage.CitationId) + PassageOverheadTokens;

    /// <summary>
    /// The best-scoring hits whose passages fit <paramref name="budgetTokens"/>, in score order: hits arrive ranked, so
    /// keeping the longest prefix that fits drops the lowest-scoring first.
    /// </summary>
    public static IReadOnlyList<GroundingPassage> Fit(IReadOnlyList<SearchHit> hits, int budgetTokens)
    {
        var kept = new List<GroundingPassage>();
        var used = 0;
        foreach (var hit in hits.OrderByDescending(h => h.Score))
        {
            var passage = new GroundingPassage(hit.SourceId.ToString(), hit.ContextText, hit.Title);
            var cost = PassageTokens(passage);
            if (used + cost > budgetTokens)
            {
                break;
            }

            used += cost;
            kept.Add(passage);
        }

        return kept;
    }
}
