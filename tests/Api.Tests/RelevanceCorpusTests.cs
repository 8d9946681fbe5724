using Vectros.TestSupport;
using Vectros.TestSupport.Relevance;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>The relevance corpus (issue #8 item 7) is what the README says it is.</summary>
public sealed class RelevanceCorpusTests : ApiTestBase
{
    private static readonly RelevanceCorpus Corpus = RelevanceCorpus.Load();

    [Fact]
    public void The_corpus_has_enough_items_topics_and_judged_queries()
    {
        Assert.True(Corpus.Items.Count >= 300, $"{Corpus.Items.Count} items");
        Assert.Contains(Corpus.Items, i => i.Kind == "record");
        Assert.Contains(Corpus.Items, i => i.Kind == "document");
        Assert.True(Corpus.Items.Select(i => i.Topic).Distinct().Count() >= 5);
        Assert.Equal(Corpus.Items.Count, Corpus.Items.Select(i => i.Key).Distinct().Count());
        Assert.True(Corpus.Queries.Count >= 40, $"{Corpus.Queries.Count} queries");
        Assert.True(Corpus.Queries.Count(q => q.Type == "paraphrase") >= 10);
        var keys = Corpus.Items.Select(i => i.Key).ToHashSet();
        Assert.All(Corpus.Queries, q => Assert.All(q.Relevant, key => Assert.Contains(key, keys)));
        // Generated deterministically: two loads are the same corpus.
        Assert.Equal(Corpus.Items, RelevanceCorpus.Load().Items);
    }

    [Fact]
    public async Task Paraphrase_queries_share_no_lexeme_with_their_answers()
    {
        var answers = Corpus.Items.ToDictionary(i => i.Key);
        foreach (var query in Corpus.Queries.Where(q => q.Type == "paraphrase"))
        {
            foreach (var key in query.Relevant)
            {
                // The keyword lane's own test: the query's OR tsquery against the answer's title and text.
                await using var cmd = Db.CreateCommand("SELECT to_tsvector('english', $1) @@ vectros_text_query('OR', $2, 0)");
                cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = $"{answers[key].Title} {answers[key].Text}" });
                cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = query.Text });
                Assert.False((bool?)await cmd.ExecuteScalarAsync() == true, $"'{query.Text}' shares a word with {key}");
            }
        }
    }

    [Fact]
    public void A_slice_keeps_its_queries_answers()
    {
        var slice = Corpus.Slice(queries: 6, distractorsPerTopic: 2);
        Assert.Equal(6, slice.Queries.Count);
        var keys = slice.Items.Select(i => i.Key).ToHashSet();
        Assert.All(slice.Queries, q => Assert.All(q.Relevant, key => Assert.Contains(key, keys)));
        Assert.Equal(16, slice.Items.Count(i => i.Key.StartsWith("noise-", StringComparison.Ordinal)));
    }
}
