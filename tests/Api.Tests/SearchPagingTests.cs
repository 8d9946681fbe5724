using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Issue #8 item 5 and API-DELTA §7: limit honoured over 1–100, offset up to 200, hasMore, totalResults, uniqueDocuments.</summary>
public sealed class SearchPagingTests : SearchTestBase
{
    private const int Matching = 150;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // 150 chunks that all match "harbour"; the word count varies so ranks differ.
        await SeedAsync([.. Enumerable.Range(0, Matching).Select(i =>
            new ChunkSeed($"Harbour {string.Join(' ', Enumerable.Repeat("harbour", i % 7))} log entry number {i} about ships.") { Ordinal = 0 })]);
    }

    [Theory]
    [InlineData("TEXT")]
    [InlineData("SEMANTIC")]
    [InlineData("HYBRID")]
    public async Task Limit_is_honoured_over_its_whole_range(string mode)
    {
        foreach (var limit in new[] { 1, 20, 50, 51, 99, 100 })
        {
            var response = await SearchAsync(new { query = "harbour ships", mode, textMode = "OR", limit });
            Assert.Equal(limit, Results(response).Count);
            Assert.True(response.GetProperty("hasMore").GetBoolean());
        }

        Assert.Equal(20, Results(await SearchAsync(new { query = "harbour ships", mode, textMode = "OR" })).Count);
    }

    [Fact]
    public async Task Pages_follow_each_other_without_overlap_and_has_more_ends_on_the_last_page()
    {
        var seen = new List<Guid>();
        for (var offset = 0; ; offset += 40)
        {
            var response = await SearchAsync(new { query = "harbour", mode = "TEXT", limit = 40, offset });
            seen.AddRange(Ids(response));
            Assert.Equal(Matching, response.GetProperty("totalResults").GetInt32());
            if (!response.GetProperty("hasMore").GetBoolean())
            {
                Assert.Equal(120, offset);
                break;
            }
        }

        Assert.Equal(Matching, seen.Count);
        Assert.Equal(Matching, seen.Distinct().Count());

        var scores = new List<double>();
        for (var offset = 0; offset < Matching; offset += 50)
        {
            scores.AddRange(Results(await SearchAsync(new { query = "harbour", mode = "TEXT", limit = 50, offset })).Select(r => r.GetProperty("textScore").GetDouble()));
        }

        Assert.Equal(scores.OrderByDescending(s => s), scores);
    }

    [Fact]
    public async Task Has_more_is_false_once_offset_reaches_200()
    {
        await SeedAsync([.. Enumerable.Range(0, 200).Select(i => new ChunkSeed($"Harbour overflow entry {i}."))]);
        var atLimit = await SearchAsync(new { query = "harbour", mode = "TEXT", limit = 100, offset = 200 });
        Assert.Equal(100, Results(atLimit).Count);
        Assert.False(atLimit.GetProperty("hasMore").GetBoolean());

        // A next page whose offset would pass 200 is not offered either.
        var past = await SearchAsync(new { query = "harbour", mode = "TEXT", limit = 100, offset = 150 });
        Assert.False(past.GetProperty("hasMore").GetBoolean());
        Assert.True((await SearchAsync(new { query = "harbour", mode = "TEXT", limit = 100, offset = 100 })).GetProperty("hasMore").GetBoolean());
    }

    [Theory]
    [InlineData("TEXT")]
    [InlineData("SEMANTIC")]
    [InlineData("HYBRID")]
    public async Task Unique_documents_returns_one_chunk_per_source(string mode)
    {
        var longDoc = Guid.CreateVersion7();
        await SeedAsync([.. Enumerable.Range(0, 8).Select(i => new ChunkSeed($"Lighthouse keeper diary page {i}: lighthouse lamp.") { SourceId = longDoc, Ordinal = i })]);
        await SeedAsync(new ChunkSeed("One lighthouse postcard."), new ChunkSeed("A lighthouse painting."));

        var all = await SearchAsync(new { query = "lighthouse", mode, textMode = "OR", limit = 10, filters = new { } });
        var unique = await SearchAsync(new { query = "lighthouse", mode, textMode = "OR", limit = 10, uniqueDocuments = true });
        Assert.True(Ids(all).Count(id => id == longDoc) > 1);
        Assert.Equal(1, Ids(unique).Count(id => id == longDoc));
        Assert.Equal(Ids(unique).Count, Ids(unique).Distinct().Count());
        if (mode == "TEXT")
        {
            Assert.Equal(3, Ids(unique).Count);
        }
    }
}
