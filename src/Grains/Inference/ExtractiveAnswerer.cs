using System.Runtime.CompilerServices;
using System.Text;

namespace Vectros.Grains.Inference;

/// <summary>
/// The local model that needs nothing (DESIGN §1): it composes an answer only from the grounding passages it is given,
/// by picking the sentences that share the most (rare) words with the question, each followed by the citation
/// <c>[id]</c> of its passage. When no sentence touches the question it says so plainly instead of guessing; with no
/// passages at all (plain chat) it says it can only answer from retrieved content. Deterministic, so tests can rely on it.
/// </summary>
public sealed class ExtractiveAnswerer(string id) : IChatModel
{
    public const string ModelId = "vectros-extractive";

    /// <summary>Sentences quoted at most; beyond a handful an extract stops being an answer.</summary>
    private const int MaxSentences = 4;

    /// <summary>Words per streamed delta: the answer streams as a remote model's would.</summary>
    private const int WordsPerDelta = 6;

    internal const string NoPassagesAnswer =
        "I can only answer from retrieved passages, and none were provided. Ask through /v1/rag or " +
        "/v1/documents/{id}/ask, or choose a generative model from /v1/models.";

    internal const string NotAnsweredAnswer = "The retrieved passages do not answer this question.";

    public string Id { get; } = id;

    public async IAsyncEnumerable<ChatModelChunk> StreamAsync(ChatModelPrompt prompt, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var answer = Compose(prompt);
        var words = answer.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var budget = Math.Max(1, prompt.MaxTokens);
        var produced = new StringBuilder();
        for (var start = 0; start < words.Length; start += WordsPerDelta)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var delta = (start == 0 ? "" : " ") + string.Join(' ', words, start, Math.Min(WordsPerDelta, words.Length - start));
            if (TokenEstimator.Count(produced.ToString() + delta) > budget)
            {
                break; // maxTokens reached: stop where a remote model would (finish_reason "length")
            }

            produced.Append(delta);
            yield return new ChatModelChunk(delta);
            await Task.Yield();
        }

        var input = TokenEstimator.Count(prompt.System) + prompt.Turns.Sum(turn => TokenEstimator.Count(turn.Content));
        yield return new ChatModelChunk(null, new ChatModelUsage(input, TokenEstimator.Count(produced.ToString())));
    }

    internal static string Compose(ChatModelPrompt prompt)
    {
        if (prompt.Passages.Count == 0)
        {
            return NoPassagesAnswer;
        }

        var questionTerms = Terms(prompt.Question).ToHashSet(StringComparer.Ordinal);
        var sentences = prompt.Passages
            .SelectMany((passage, rank) => SentenceSplitter.Split(passage.Text).Select((text, index) => new Candidate(passage, rank, index, text)))
            .ToList();
        if (questionTerms.Count == 0 || sentences.Count == 0)
        {
            return NotAnsweredAnswer;
        }

        // Inverse sentence frequency: a question word found in every sentence says little about which one answers.
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sentence in sentences)
        {
            foreach (var term in sentence.Terms.Where(questionTerms.Contains))
            {
                frequency[term] = frequency.GetValueOrDefault(term) + 1;
            }
        }

        var scored = sentences
            .Select(sentence => (sentence, score: sentence.Terms.Where(questionTerms.Contains)
                .Sum(term => Math.Log(1.0 + (double)sentences.Count / frequency[term]))))
            .Where(pair => pair.score > 0)
            .OrderByDescending(pair => pair.score).ThenBy(pair => pair.sentence.Rank).ThenBy(pair => pair.sentence.Index)
            .ToList();
        if (scored.Count == 0)
        {
            return NotAnsweredAnswer;
        }

        // Keep sentences at least a third as relevant as the best, then read them in passage order.
        var best = scored[0].score;
        var chosen = scored.TakeWhile(pair => pair.score >= best / 3).Take(MaxSentences).Select(pair => pair.sentence)
            .OrderBy(sentence => sentence.Rank).ThenBy(sentence => sentence.Index);
        return string.Join(' ', chosen.Select(sentence => $"{sentence.Text.TrimEnd()} [{sentence.Passage.CitationId}]"));
    }

    internal static IEnumerable<string> Terms(string text) =>
        WordSplitter.Words(text).Select(Stem).Where(term => term.Length > 1 && !StopWords.Contains(term));

    /// <summary>A light plural/ing stem, so "passwords" meets "password" and "resetting" meets "reset".</summary>
    private static string Stem(string word) => word switch
    {
        { Length: > 5 } when word.EndsWith("ing", StringComparison.Ordinal) => word[..^3],
        { Length: > 4 } when word.EndsWith("ies", StringComparison.Ordinal) => word[..^3] + "y",
        { Length: > 3 } when word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) => word[..^1],
        _ => word,
    };

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "an", "and", "or", "of", "to", "in", "on", "at", "for", "by", "with", "from", "is", "are", "was", "were",
        "be", "been", "it", "its", "this", "that", "these", "those", "what", "which", "who", "whom", "how", "why", "when",
        "where", "do", "doe", "did", "can", "could", "should", "would", "will", "shall", "may", "might", "must", "my",
        "your", "our", "their", "me", "you", "we", "they", "he", "she", "him", "her", "i", "about", "there", "here",
        "any", "all", "some", "not", "no", "if", "then", "than", "so", "as", "into", "out", "up", "down", "over", "tell",
        "please", "does", "have", "has", "had", "get", "us",
    };

    private sealed record Candidate(GroundingPassage Passage, int Rank, int Index, string Text)
    {
        public IReadOnlyList<string> Terms { get; } = ExtractiveAnswerer.Terms(Text).Distinct(StringComparer.Ordinal).ToList();
    }
}

/// <summary>Lower-cased letter/digit runs.</summary>
internal static class WordSplitter
{
    public static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }
}

/// <summary>Sentences end at <c>.</c>, <c>!</c> or <c>?</c> before white space, or at a line break.</summary>
internal static class SentenceSplitter
{
    public static IEnumerable<string> Split(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var end = text[i] is '\n' || (text[i] is '.' or '!' or '?' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])));
            if (end)
            {
                var sentence = text[start..(i + 1)].Trim();
                if (sentence.Length > 1)
                {
                    yield return sentence;
                }

                start = i + 1;
            }
        }

        var rest = text[start..].Trim();
        if (rest.Length > 1)
        {
            yield return rest;
        }
    }
}
