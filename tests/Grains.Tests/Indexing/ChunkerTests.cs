using System.Text;
using Vectros.Grains.Indexing;
using Xunit;

namespace Vectros.Grains.Tests.Indexing;

/// <summary>Chunk sizes, overlap, boundaries and context windows (issue #8 item 4).</summary>
public sealed class ChunkerTests
{
    [Fact]
    public void Empty_or_blank_text_has_no_chunks()
    {
        var chunker = new Chunker(10, 2, 30);
        Assert.Empty(chunker.Split(""));
        Assert.Empty(chunker.Split(" \n\t \n"));
    }

    [Fact]
    public void Short_text_is_one_chunk_whose_context_is_itself()
    {
        var chunk = Assert.Single(new Chunker(10, 2, 30).Split("  Reset my password, please.\n"));
        Assert.Equal(0, chunk.Ordinal);
        Assert.Equal("Reset my password, please.", chunk.ChunkText);
        Assert.Equal(chunk.ChunkText, chunk.ContextText);
    }

    [Fact]
    public void No_chunk_exceeds_the_size_and_every_word_is_in_some_chunk_in_order()
    {
        var words = Enumerable.Range(0, 1000).Select(i => $"w{i}").ToList();
        var chunks = new Chunker(50, 10, 150).Split(string.Join(' ', words));

        Assert.All(chunks, c => Assert.InRange(Count(c.ChunkText), 1, 50));
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Ordinal));
        var seen = chunks.SelectMany(c => c.ChunkText.Split(' ')).Distinct().ToList();
        Assert.Equal(words, seen);
        Assert.EndsWith("w999", chunks[^1].ChunkText, StringComparison.Ordinal);
    }

    [Fact]
    public void Chunks_overlap_by_the_configured_words_when_there_is_no_sentence_to_snap_to()
    {
        var text = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i}"));
        var chunks = new Chunker(20, 5, 20).Split(text);

        for (var i = 1; i < chunks.Count; i++)
        {
            var previous = chunks[i - 1].ChunkText.Split(' ');
            var current = chunks[i].ChunkText.Split(' ');
            Assert.Equal(previous[^5..], current[..5]);
        }
    }

    [Fact]
    public void Without_overlap_chunks_partition_the_text()
    {
        var text = string.Join(' ', Enumerable.Range(0, 95).Select(i => $"w{i}"));
        var chunks = new Chunker(20, 0, 20).Split(text);
        Assert.Equal(95, chunks.Sum(c => Count(c.ChunkText)));
        Assert.Equal(5, chunks.Count);
    }

    [Fact]
    public void Chunks_end_on_sentence_boundaries_and_overlap_starts_at_a_sentence()
    {
        // Sentences of 7 words: a 20-word chunk holds two whole ones (14 words), not a cut third.
        var text = string.Join(' ', Enumerable.Range(0, 12).Select(i => $"Sentence {i} has exactly seven words here."));
        var chunks = new Chunker(20, 8, 20).Split(text);

        Assert.All(chunks, c => Assert.EndsWith("here.", c.ChunkText, StringComparison.Ordinal));
        Assert.All(chunks, c => Assert.StartsWith("Sentence", c.ChunkText, StringComparison.Ordinal));
        Assert.Equal("Sentence 1 has exactly seven words here. Sentence 2 has exactly seven words here.", chunks[1].ChunkText[..81]);
    }

    [Fact]
    public void A_paragraph_break_wins_over_a_later_sentence_end()
    {
        var first = string.Join(' ', Enumerable.Range(0, 12).Select(i => $"a{i}")) + ".";
        var second = string.Join(' ', Enumerable.Range(0, 3).Select(i => $"b{i}")) + ". " + string.Join(' ', Enumerable.Range(0, 30).Select(i => $"c{i}"));
        var chunks = new Chunker(20, 0, 20).Split(first + "\n\n" + second);

        Assert.Equal(first, chunks[0].ChunkText);
        Assert.StartsWith("b0", chunks[1].ChunkText, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_breaks_and_spacing_inside_a_chunk_are_kept()
    {
        var chunk = Assert.Single(new Chunker(50, 5, 100).Split("Title\n\n- one\n- two  three"));
        Assert.Equal("Title\n\n- one\n- two  three", chunk.ChunkText);
    }

    [Fact]
    public void Context_holds_the_chunk_and_its_neighbours_within_the_bound()
    {
        var text = string.Join(' ', Enumerable.Range(0, 300).Select(i => $"w{i}"));
        var chunks = new Chunker(30, 0, 90).Split(text);

        Assert.All(chunks, c => Assert.Contains(c.ChunkText, c.ContextText, StringComparison.Ordinal));
        Assert.All(chunks, c => Assert.InRange(Count(c.ContextText), 30, 90));

        // A middle chunk is widened on both sides; the first only forward (its spare goes there).
        var middle = chunks[5];
        Assert.Equal(90, Count(middle.ContextText));
        Assert.Contains(chunks[4].ChunkText, middle.ContextText, StringComparison.Ordinal);
        Assert.Contains(chunks[6].ChunkText, middle.ContextText, StringComparison.Ordinal);
        Assert.StartsWith("w0 ", chunks[0].ContextText, StringComparison.Ordinal);
        Assert.Equal(90, Count(chunks[0].ContextText));
    }

    [Fact]
    public void Context_edges_are_trimmed_to_whole_sentences()
    {
        var text = string.Join(' ', Enumerable.Range(0, 40).Select(i => $"Sentence {i} is here."));
        var chunks = new Chunker(12, 0, 30).Split(text);
        Assert.All(chunks, c => Assert.StartsWith("Sentence", c.ContextText, StringComparison.Ordinal));
        Assert.All(chunks, c => Assert.EndsWith("here.", c.ContextText, StringComparison.Ordinal));
    }

    [Fact]
    public void A_run_without_spaces_is_cut_into_pieces_so_it_cannot_swamp_a_chunk()
    {
        var blob = new string('x', 10 * Chunker.MaxWordChars);
        var chunks = new Chunker(4, 0, 8).Split(blob);
        Assert.Equal(3, chunks.Count);
        Assert.All(chunks, c => Assert.True(c.ChunkText.Length <= 4 * Chunker.MaxWordChars));
        Assert.Equal(blob, string.Concat(chunks.Select(c => c.ChunkText)));
    }

    [Fact]
    public void Defaults_fit_the_model_and_are_validated()
    {
        var options = new IndexingOptions();
        Assert.Equal(180, options.ChunkSize);
        Assert.Equal(30, options.ChunkOverlap);
        Assert.True(options.ContextSize >= 3 * options.ChunkSize);
        Assert.Empty(options.Validate(new(options)));
        var bad = new IndexingOptions { ChunkSize = 50, ChunkOverlap = 50, ContextSize = 40 };
        Assert.Equal(2, bad.Validate(new(bad)).Count());
    }

    [Fact]
    public void Long_text_with_defaults_splits_on_sentences_with_overlap()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            text.Append("The quick brown fox number ").Append(i).Append(" jumps over the lazy dog again. ");
            if (i % 10 == 9)
            {
                text.Append("\n\n");
            }
        }

        var chunks = Chunker.From(new IndexingOptions()).Split(text.ToString());
        Assert.True(chunks.Count > 10);
        Assert.All(chunks, c => Assert.InRange(Count(c.ChunkText), 1, 180));
        Assert.All(chunks, c => Assert.InRange(Count(c.ContextText), Count(c.ChunkText), 540));
        Assert.All(chunks, c => Assert.EndsWith("again.", c.ChunkText, StringComparison.Ordinal));
    }

    private static int Count(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
}
