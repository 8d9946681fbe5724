using System.Net;
using Vectros.TestSupport;
using Xunit;
using static Vectros.Api.Tests.ScopedCredentials;

namespace Vectros.Api.Tests;

/// <summary>
/// Search results narrowed to what the caller may read (issue #9 item 7): a document needs <c>documents:r</c>, a record
/// <c>records:r:&lt;type&gt;</c>, each from a clause whose data scope matches the source's ownership. Invisible chunks
/// leave before ranking is cut to <c>limit</c>, so a confined caller still gets full pages and a true <c>hasMore</c>.
/// </summary>
public sealed class SearchDataScopeTests : SearchTestBase
{
    [Fact]
    public async Task Results_are_narrowed_to_the_verbs_and_the_data_scope_of_the_caller()
    {
        var me = await CreateUserAsync(Client);
        var other = Guid.NewGuid();
        var myDoc = new ChunkSeed("lighthouse keeper log") { UserId = Guid.Parse(me) };
        var theirDoc = new ChunkSeed("lighthouse keeper log") { UserId = other };
        var tenantDoc = new ChunkSeed("lighthouse keeper log");
        var myNote = new ChunkSeed("lighthouse keeper note") { SourceKind = "record", TypeName = "note", UserId = Guid.Parse(me) };
        var mySecret = new ChunkSeed("lighthouse keeper secret") { SourceKind = "record", TypeName = "secret", UserId = Guid.Parse(me) };
        await SeedAsync(myDoc, theirDoc, tenantDoc, myNote, mySecret);

        using var narrow = Server.CreateClient(await MintAsync(Client, ["search:r", "documents:r", "records:r:note"], OwnUser, userId: me));
        foreach (var mode in new[] { "TEXT", "SEMANTIC", "HYBRID" })
        {
            var found = Ids(await SearchAsync(new { query = "lighthouse keeper", mode }, narrow));
            Assert.Equal(new[] { myDoc.SourceId, myNote.SourceId }.Order(), found.Order());
        }

        using var wide = Server.CreateClient(await MintAsync(Client, ["search:r", "documents:r"]));
        Assert.Equal(new[] { myDoc.SourceId, theirDoc.SourceId, tenantDoc.SourceId }.Order(),
            Ids(await SearchAsync(new { query = "lighthouse keeper", mode = "TEXT" }, wide)).Order());
        Assert.Equal(5, Ids(await SearchAsync(new { query = "lighthouse keeper", mode = "TEXT" })).Count);

        using var searchOnly = Server.CreateClient(await MintAsync(Client, ["search:r"]));
        Assert.Empty(Ids(await SearchAsync(new { query = "lighthouse keeper", mode = "TEXT" }, searchOnly)));
        using var noSearch = Server.CreateClient(await MintAsync(Client, ["documents:r"]));
        Assert.Equal(HttpStatusCode.Forbidden, (await TrySearchAsync(new { query = "lighthouse" }, noSearch)).Status);
    }

    [Fact]
    public async Task Invisible_chunks_leave_before_the_limit_so_pages_stay_full_and_hasMore_is_true()
    {
        var me = await CreateUserAsync(Client);
        var stranger = Guid.NewGuid();

        // Forty better-ranked chunks the caller may not see, then three it may.
        var hidden = Enumerable.Range(0, 40).Select(i => new ChunkSeed($"harbour harbour harbour harbour {i}") { UserId = stranger }).ToArray();
        var visible = Enumerable.Range(0, 3).Select(i => new ChunkSeed($"harbour crane {i}") { UserId = Guid.Parse(me) }).ToArray();
        await SeedAsync([.. hidden, .. visible]);
        using var narrow = Server.CreateClient(await MintAsync(Client, ["search:r", "documents:r"], OwnUser, userId: me));

        foreach (var mode in new[] { "TEXT", "HYBRID" })
        {
            var first = await SearchAsync(new { query = "harbour", mode, limit = 2 }, narrow);
            Assert.Equal(2, Ids(first).Count);
            Assert.True(first.GetProperty("hasMore").GetBoolean());
            Assert.All(Ids(first), id => Assert.Contains(id, visible.Select(v => v.SourceId)));

            var all = await SearchAsync(new { query = "harbour", mode, limit = 5 }, narrow);
            Assert.Equal(visible.Select(v => v.SourceId).Order(), Ids(all).Order());
            Assert.False(all.GetProperty("hasMore").GetBoolean());
        }

        var totals = await SearchAsync(new { query = "harbour", mode = "TEXT", limit = 5 }, narrow);
        Assert.Equal(3, totals.GetProperty("totalResults").GetInt32());
    }
}
