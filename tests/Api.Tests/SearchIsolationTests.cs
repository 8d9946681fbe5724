using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Search;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Issue #8 item 5: search never returns another tenant's or context's content, and never an ARCHIVED source's,
/// even when the content is identical word for word.
/// </summary>
public sealed class SearchIsolationTests : SearchTestBase
{
    private const string Text = "Confidential merger memo about the walrus acquisition.";

    [Fact]
    public async Task Another_tenants_identical_content_never_appears()
    {
        var mine = Guid.CreateVersion7();
        var other = await Server.CreatePartnerAsync("search-other");
        var theirs = Guid.CreateVersion7();
        var liveTwin = Guid.CreateVersion7();
        await SeedAsync(
            new ChunkSeed(Text) { SourceId = mine, Filter = new { deal = "walrus" } },
            new ChunkSeed(Text) { SourceId = theirs, TenantId = other.TestTenantId, Filter = new { deal = "walrus" } },
            // The same partner's live tenant is another tenant too.
            new ChunkSeed(Text) { SourceId = liveTwin, TenantId = Partner.LiveTenantId, Filter = new { deal = "walrus" } });

        foreach (var mode in new[] { "HYBRID", "SEMANTIC", "TEXT" })
        {
            Assert.Equal([mine], Ids(await SearchAsync(new { query = "walrus merger memo", mode, textMode = "OR", limit = 100 })));
            Assert.Equal([mine], Ids(await SearchAsync(new { query = "walrus merger memo", mode, textMode = "OR", filters = new { deal = "walrus" } })));
        }

        using var otherClient = Server.CreateClient(other.TestKey.RawKey);
        Assert.Equal([theirs], Ids(await SearchAsync(new { query = "walrus", mode = "TEXT" }, otherClient)));
    }

    [Fact]
    public async Task Another_contexts_content_never_appears_and_its_own_callers_see_only_it()
    {
        var inDefault = Guid.CreateVersion7();
        var inOther = Guid.CreateVersion7();
        await SeedAsync(
            new ChunkSeed(Text) { SourceId = inDefault },
            new ChunkSeed(Text) { SourceId = inOther, ContextId = "other" });

        // The root key acts in the tenant's default context.
        Assert.Equal([inDefault], Ids(await SearchAsync(new { query = "walrus", mode = "HYBRID", limit = 100 })));

        // A caller bound to the other context (scoped callers exist at the grain level only today).
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        // Results also need read on their source (issue #9 item 7): documents:r for these document chunks.
        var otherCaller = new CallerContext(Partner.TestTenantId, "other", "ssk_test_other", IsRoot: false, ["search:r", "documents:r"]);
        var outcome = await grains.GetGrain<ISearchGrain>(otherCaller.ContextKey).SearchAsync(otherCaller, new SearchQuery { Query = "walrus", Limit = 100 });
        Assert.Equal([inOther], outcome.Results.Select(r => r.SourceId));

        // A grain keyed for one context refuses a caller of another, like a missing item.
        await Assert.ThrowsAsync<NotFoundException>(() =>
            grains.GetGrain<ISearchGrain>($"{Partner.TestTenantId}#default").SearchAsync(otherCaller, new SearchQuery { Query = "walrus" }));
        await Assert.ThrowsAsync<NotFoundException>(() =>
            grains.GetGrain<ITextLaneGrain>($"{Partner.TestTenantId}#default").SearchAsync(otherCaller, new LaneQuery { Scope = new ChunkScope(), Depth = 10, Text = "walrus" }));
    }

    [Fact]
    public async Task Archived_sources_never_appear_even_if_a_chunk_were_left_behind()
    {
        var activeRecord = Guid.CreateVersion7();
        var archivedRecord = Guid.CreateVersion7();
        var archivedDocument = Guid.CreateVersion7();
        foreach (var (id, status) in new[] { (activeRecord, "ACTIVE"), (archivedRecord, "ARCHIVED") })
        {
            await ExecuteAsync(
                "INSERT INTO records (tenant_id, context_id, record_id, type_name, payload, status, created_by) VALUES ($1, 'default', $2, 'memo', '{}', $3, 'test')",
                Partner.TestTenantId, id, status);
        }

        await ExecuteAsync(
            """
            INSERT INTO documents (tenant_id, context_id, document_id, title, status, index_mode, index_status, source, body, created_by)
            VALUES ($1, 'default', $2, 'Memo', 'ARCHIVED', 'HYBRID', 'INDEXED', 'TEXT', $3, 'test')
            """,
            Partner.TestTenantId, archivedDocument, Text);
        await SeedAsync(
            new ChunkSeed(Text) { SourceId = activeRecord, SourceKind = "record" },
            new ChunkSeed(Text) { SourceId = archivedRecord, SourceKind = "record" },
            new ChunkSeed(Text) { SourceId = archivedDocument });

        foreach (var mode in new[] { "HYBRID", "SEMANTIC", "TEXT" })
        {
            var (status, body) = await TrySearchAsync(new { query = "walrus acquisition", mode });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal([activeRecord], Ids(body));
        }
    }
}
