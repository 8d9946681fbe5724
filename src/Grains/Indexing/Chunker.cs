namespace Vectros.Grains.Indexing;

/// <summary>One piece of a source's text: what is embedded and matched, and the wider passage around it.</summary>
public sealed record TextChunk(int Ordinal, string ChunkText, string ContextText);

/// <summary>
/// Splits text into chunks of at most <c>chunkSize</c> words that end, where the text allows, on a paragraph, then
/// a sentence, then a line boundary (never before half the size, so chunks stay close to the size the model was
/// tuned for). Each chunk after the first starts up to <c>overlap</c> words back, at a sentence start when one is in
/// reach. <see cref="TextChunk.ContextText"/> is the chunk widened on both sides to at most <c>contextSize</c> words,
/// trimmed to sentence boundaries. Both texts are slices of the input, so its line breaks and spacing survive.
/// </summary>
public sealed class Chunker
{
    /// <summary>Longer runs without whitespace (base64, minified code) are cut so one "word" cannot swamp a chunk.</summary>
    public const int MaxWordChars = 100;

    private const int None = 0;
    private const int Line = 1;
    private const int Sentence = 2;
    private const int Paragraph = 3;

    private readonly int _size;
    private readonly int _overlap;
    private readonly int _contextSize;

    public Chunker(int chunkSize, int overlap, int contextSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(overlap);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(overlap, chunkSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(contextSize, chunkSize);
        (_size, _overlap, _contextSize) = (chunkSize, overlap, contextSize);
    }

    public static Chunker From(IndexingOptions options) => new(options.ChunkSize, options.ChunkOverlap, options.ContextSize);

    public IReadOnlyList<TextChunk> Split(string text)
    {
        var words = Words(text);
        if (words.Count == 0)
        {
            return [];
        }

        var breaks = Breaks(text, words);
        var chunks = new List<TextChunk>();
        var start = 0;
        var previousEnd = 0;
        while (true)
        {
            var end = ChunkEnd(breaks, start, previousEnd, words.Count);
            var (contextStart, contextEnd) = ContextWindow(breaks, start, end, words.Count);
            chunks.Add(new TextChunk(chunks.Count, Slice(text, words, start, end), Slice(text, words, contextStart, contextEnd)));
            if (end == words.Count)
            {
                return chunks;
            }

            start = NextStart(breaks, start, end);
            previousEnd = end;
        }
    }

    /// <summary>Where the chunk starting at <paramref name="start"/> ends (exclusive): the strongest boundary in reach, latest on a tie.</summary>
    private int ChunkEnd(int[] breaks, int start, int previousEnd, int count)
    {
        var hardEnd = Math.Min(count, start + _size);
        if (hardEnd == count)
        {
            return count;
        }

        // A chunk must reach past the previous one, or it would add nothing but overlap.
        var minEnd = Math.Max(previousEnd + 1, start + Math.Max(1, _size / 2));
        var best = hardEnd;
        var bestRank = None;
        for (var end = hardEnd; end >= minEnd; end--)
        {
            if (breaks[end - 1] > bestRank)
            {
                (best, bestRank) = (end, breaks[end - 1]);
                if (bestRank == Paragraph)
                {
                    break;
                }
            }
        }

        return best;
    }

    /// <summary>The next chunk's first word: up to <c>overlap</c> words back, at the earliest sentence start in that reach.</summary>
    private int NextStart(int[] breaks, int start, int end)
    {
        if (_overlap == 0)
        {
            return end;
        }

        var from = Math.Max(start + 1, end - _overlap);
        for (var i = from; i < end; i++)
        {
            if (breaks[i - 1] >= Sentence)
            {
                return i;
            }
        }

        return from;
    }

    /// <summary>The chunk widened evenly (what one side cannot use goes to the other), then trimmed to whole sentences.</summary>
    private (int Start, int End) ContextWindow(int[] breaks, int start, int end, int count)
    {
        var spare = Math.Max(0, _contextSize - (end - start));
        var before = Math.Min(start, spare / 2);
        var after = Math.Min(count - end, spare - before);
        before = Math.Min(start, spare - after);
        var (from, to) = (start - before, end + after);

        // Drop a sentence cut in half at either edge, when the widened part has a sentence boundary to stop at
        // (text without punctuation keeps the whole window); never trim into the chunk itself.
        for (var i = from; i < start && from > 0; i++)
        {
            if (breaks[i - 1] >= Sentence)
            {
                from = i;
                break;
            }
        }

        for (var i = to; i > end && to < count; i--)
        {
            if (breaks[i - 1] >= Sentence)
            {
                to = i;
                break;
            }
        }

        return (from, to);
    }

    /// <summary>Start and end offsets of each word (a maximal run of non-whitespace, cut at <see cref="MaxWordChars"/>).</summary>
    private static List<(int Start, int End)> Words(string text)
    {
        var words = new List<(int, int)>();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && i - start < MaxWordChars)
            {
                i++;
            }

            if (i > start)
            {
                words.Add((start, i));
            }
        }

        return words;
    }

    /// <summary>For each word, how strong the boundary after it is; the last word ends a paragraph.</summary>
    private static int[] Breaks(string text, List<(int Start, int End)> words)
    {
        var breaks = new int[words.Count];
        for (var w = 0; w < words.Count; w++)
        {
            var gapEnd = w + 1 < words.Count ? words[w + 1].Start : text.Length;
            var newlines = 0;
            for (var c = words[w].End; c < gapEnd; c++)
            {
                if (text[c] == '\n')
                {
                    newlines++;
                }
            }

            breaks[w] = w + 1 == words.Count || newlines >= 2 ? Paragraph
                : EndsSentence(text, words[w]) ? Sentence
                : newlines == 1 ? Line
                : None;
        }

        return breaks;
    }

    /// <summary>Ends in . ! ? or … , possibly followed by closing quotes or brackets.</summary>
    private static bool EndsSentence(string text, (int Start, int End) word)
    {
        var i = word.End - 1;
        while (i > word.Start && text[i] is '"' or '\'' or ')' or ']' or '”' or '’' or '»')
        {
            i--;
        }

        return text[i] is '.' or '!' or '?' or '…' or '。';
    }

    private static string Slice(string text, List<(int Start, int End)> words, int from, int to) =>
        text[words[from].Start..words[to - 1].End];
}
