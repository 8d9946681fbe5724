using System.Net;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Issue #8 item 5: the three modes, the four text modes, scores, snippets and fusion, through HTTP.</summary>
public sealed class SearchModeTests : SearchTestBase
{
    private readonly Guid _reset = Guid.CreateVersion7();
    private readonly Guid _billing = Guid.CreateVersion7();
    private readonly Guid _garden = Guid.CreateVersion7();
    private readonly Guid _scattered = Guid.CreateVersion7();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await SeedAsync(
            new ChunkSeed("To reset your password open the account settings page and choose reset password.") { SourceId = _reset, Title = "Password help" },
            new ChunkSeed("Invoices and billing statements are emailed on the first day of every month.") { SourceId = _billing },
            new ChunkSeed("Water the tomato plants in the garden early in the morning.") { SourceId = _garden },
            new ChunkSeed("The password policy says a strong account needs a long passphrase, and you may reset it yearly.") { SourceId = _scattered });
    }

    [Fact]
    public async Task Text_mode_or_matches_any_term_and_ranks_with_a_descending_rank_derived_text_score()
    {
        var response = await SearchAsync(new { query = "password invoices", mode = "TEXT" });
        var ids = Ids(response);
        Assert.Equal(3, ids.Count);
        Assert.Contains(_billing, ids);
        Assert.DoesNotContain(_garden, ids);

        var textScores = Results(response).Select(r => r.GetProperty("textScore").GetDouble()).ToList();
        Assert.All(textScores, s => Assert.True(s > 0));
        Assert.Equal(textScores.OrderByDescending(s => s), textScores);
        Assert.All(Results(response), r => Assert.Equal(0, r.GetProperty("semanticScore").GetDouble()));
        Assert.Equal(3, response.GetProperty("totalResults").GetInt32());
        Assert.False(response.GetProperty("degraded").GetBoolean());
        Assert.Empty(response.GetProperty("degradedLegs").EnumerateArray());
    }

    [Fact]
    public async Task Text_mode_and_needs_every_term()
    {
        Assert.Equal(new[] { _reset, _scattered }.Order(), Ids(await SearchAsync(new { query = "reset password", mode = "TEXT", textMode = "AND" })).Order());
        Assert.Empty(Ids(await SearchAsync(new { query = "password invoices", mode = "TEXT", textMode = "AND" })));
    }

    [Fact]
    public async Task Text_mode_phrase_needs_the_terms_together_within_the_slop()
    {
        // "reset your password" is adjacent in one chunk; in the other the words are far apart.
        Assert.Equal([_reset], Ids(await SearchAsync(new { query = "reset password", mode = "TEXT", textMode = "PHRASE", slop = 0 })));
        Assert.Equal([_reset], Ids(await SearchAsync(new { query = "reset your password", mode = "TEXT", textMode = "PHRASE" })));
        Assert.Empty(Ids(await SearchAsync(new { query = "password reset", mode = "TEXT", textMode = "PHRASE", slop = 0 })));
        // "passphrase, and you may reset": three positions between the terms.
        Assert.Empty(Ids(await SearchAsync(new { query = "passphrase reset", mode = "TEXT", textMode = "PHRASE", slop = 2 })));
        Assert.Equal([_scattered], Ids(await SearchAsync(new { query = "passphrase reset", mode = "TEXT", textMode = "PHRASE", slop = 3 })));
    }

    [Fact]
    public async Task Text_mode_complex_takes_the_tsquery_syntax_and_refuses_a_malformed_one()
    {
        Assert.Equal([_reset], Ids(await SearchAsync(new { query = "password & !passphrase", mode = "TEXT", textMode = "COMPLEX" })));
        Assert.Equal(2, Ids(await SearchAsync(new { query = "(invoice | tomato) & !password", mode = "TEXT", textMode = "COMPLEX" })).Count);
        Assert.Equal(new[] { _reset, _scattered }.Order(), Ids(await SearchAsync(new { query = "pass:*", mode = "TEXT", textMode = "COMPLEX" })).Order());

        foreach (var bad in new[] { "password &", "(reset", "& |", "a <-> ", "reset )(" })
        {
            var body = await ExpectBadRequestAsync(new { query = bad, mode = "TEXT", textMode = "COMPLEX" }, "query");
            Assert.DoesNotContain(bad, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Semantic_mode_ranks_by_similarity_and_reports_it()
    {
        var response = await SearchAsync(new { query = "tomato plants garden", mode = "SEMANTIC", limit = 4 });
        var results = Results(response);
        Assert.Equal(_garden, Ids(response)[0]);
        Assert.Equal(4, results.Count);
        var semantic = results.Select(r => r.GetProperty("semanticScore").GetDouble()).ToList();
        Assert.Equal(semantic.OrderByDescending(s => s), semantic);
        Assert.All(results, r => Assert.Equal(r.GetProperty("semanticScore").GetDouble(), r.GetProperty("score").GetDouble()));
        Assert.All(results, r => Assert.Equal(0, r.GetProperty("textScore").GetDouble()));

        // minSimilarity drops the unrelated chunks.
        var floor = (semantic[0] + semantic[1]) / 2;
        var close = await SearchAsync(new { query = "tomato plants garden", mode = "SEMANTIC", minSimilarity = floor });
        Assert.Equal([_garden], Ids(close));
    }

    [Fact]
    public async Task Hybrid_is_the_default_and_fuses_both_lanes_with_rrf()
    {
        // Default text mode in HYBRID is PHRASE with slop 3: "reset password" matches _reset ("reset your password").
        var response = await SearchAsync(new { query = "reset password", limit = 4 });
        var results = Results(response);
        Assert.Equal(_reset, Ids(response)[0]);
        var top = results[0];
        Assert.True(top.GetProperty("textScore").GetDouble() > 0);
        Assert.True(top.GetProperty("semanticScore").GetDouble() > 0);
        // First in both lanes: the normalised fused score is 1.
        Assert.Equal(1.0, top.GetProperty("score").GetDouble(), 6);
        var scores = results.Select(r => r.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        // Found by the vector lane only: no keyword component.
        Assert.Contains(results.Skip(1), r => r.GetProperty("textScore").GetDouble() == 0 && r.GetProperty("semanticScore").GetDouble() != 0);
    }

    [Fact]
    public async Task Rrf_lifts_a_chunk_both_lanes_find_over_one_only_a_single_lane_ranks_first()
    {
        // TEXT OR: _billing ranks first on "invoices billing monthly statements" (three terms); SEMANTIC agrees.
        var hybrid = await SearchAsync(new { query = "billing statements password", textMode = "OR" });
        var text = await SearchAsync(new { query = "billing statements password", mode = "TEXT" });
        var semantic = await SearchAsync(new { query = "billing statements password", mode = "SEMANTIC" });
        var fusedFirst = Ids(hybrid)[0];
        // The fused winner is ranked first by one lane and at worst second by the other.
        var textRank = Ids(text).IndexOf(fusedFirst);
        var semanticRank = Ids(semantic).IndexOf(fusedFirst);
        Assert.True(Math.Min(textRank, semanticRank) == 0 && Math.Max(textRank, semanticRank) <= 1, $"text {textRank}, semantic {semanticRank}");
    }

    [Fact]
    public async Task Results_carry_the_spec_fields_and_a_highlighted_escaped_snippet()
    {
        var markup = Guid.CreateVersion7();
        await SeedAsync(new ChunkSeed("Beware <script>alert(1)</script> when the zebra escapes & runs.")
        {
            SourceId = markup,
            SourceKind = "record",
            ExternalId = "ext-zebra",
            Metadata = new { colour = "striped" },
            ContextText = "Before. Beware <script>alert(1)</script> when the zebra escapes & runs. After.",
        });

        var result = Results(await SearchAsync(new { query = "zebra", mode = "TEXT" })).Single();
        Assert.Equal(markup.ToString(), result.GetProperty("documentId").GetString());
        Assert.Equal("GenericRecord", result.GetProperty("sourceType").GetString());
        Assert.Equal("ext-zebra", result.GetProperty("externalId").GetString());
        Assert.Equal("striped", result.GetProperty("metadata").GetProperty("colour").GetString());
        Assert.StartsWith("Before.", result.GetProperty("contextText").GetString());
        Assert.StartsWith("Beware <script>", result.GetProperty("chunkText").GetString());
        var snippet = result.GetProperty("snippet").GetString()!;
        Assert.Contains("<b>zebra</b>", snippet);
        // ts_headline drops markup tags; what is left is escaped.
        Assert.DoesNotContain("<script>", snippet);
        Assert.Contains("escapes &amp; runs", snippet);
        Assert.True(DateTimeOffset.TryParse(result.GetProperty("createdAt").GetString(), out _));

        // A document without an externalId says so with null.
        var plain = Results(await SearchAsync(new { query = "tomato", mode = "TEXT" })).Single();
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("externalId").ValueKind);
        Assert.Equal("PartnerDocument", plain.GetProperty("sourceType").GetString());
    }

    [Fact]
    public async Task Semantic_hits_get_a_snippet_too()
    {
        var results = Results(await SearchAsync(new { query = "what should I do about my vegetables", mode = "SEMANTIC", limit = 4 }));
        Assert.All(results, r => Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("snippet").GetString())));
    }

    [Fact]
    public async Task A_query_of_stop_words_only_finds_nothing_by_keyword_and_still_answers()
    {
        var response = await SearchAsync(new { query = "the of and", mode = "TEXT" });
        Assert.Empty(Ids(response));
        Assert.Equal(0, response.GetProperty("totalResults").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await TrySearchAsync(new { query = "the of and" })).Status);
    }

    [Fact]
    public async Task Queries_full_of_syntax_characters_are_plain_text_outside_complex_mode()
    {
        foreach (var mode in new[] { "OR", "AND", "PHRASE" })
        {
            foreach (var query in new[] { "password & | ! ( ) <-> :* '\\'", "'); DROP TABLE chunks; --", "\"quoted\" password*", "日本語 passwörd ü" })
            {
                var (status, body) = await TrySearchAsync(new { query, mode = "HYBRID", textMode = mode });
                Assert.True(status == HttpStatusCode.OK, $"{mode} {query}: {status} {body}");
            }
        }
    }
}
