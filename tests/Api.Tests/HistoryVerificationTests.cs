using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.Grains.Abstractions.History;
using Vectros.Grains.History;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Issue #3 item 6: version rows written through the API form hash chains that verify, and editing or deleting
/// history in the database is detected, by <see cref="VersionHistory.VerifyAsync"/> and by
/// <c>./vectros admin verify-history</c>. Each test tampers with its own database and server, never the shared one;
/// the CLI redirects the console and reads the connection string from the environment, hence the collection.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class HistoryVerificationTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private VectrosTestServer _server = null!;
    private TestPartner _partner = null!;
    private HttpClient _client = null!;

    private NpgsqlDataSource DataSource => _server.Services.GetRequiredService<NpgsqlDataSource>();

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("history");
        _server = await VectrosTestServer.StartAsync(_db.ConnectionString);
        _partner = await _server.CreatePartnerAsync("history");
        _client = _server.CreateClient(_partner.TestKey.RawKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task History_written_through_the_api_verifies_and_the_cli_exits_zero()
    {
        var kept = await FolderWithHistoryAsync("Kept");
        var deleted = await FolderWithHistoryAsync("Deleted");
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/v1/folders/{deleted}")).StatusCode);

        Assert.Equal([1, 2, 3], await SeqsAsync(kept));
        Assert.Equal([1, 2, 3, 4], await SeqsAsync(deleted));
        Assert.Empty(await VersionHistory.VerifyAsync(DataSource, CancellationToken.None));

        var (exit, output) = await RunCliAsync("verify-history");
        Assert.Equal(0, exit);
        Assert.Contains("every chain intact", output, StringComparison.Ordinal);
        Assert.DoesNotContain("BREAK", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_previous_content_or_changed_by_is_a_break_at_that_row()
    {
        var contentEdited = await FolderWithHistoryAsync("Content edited");
        var actorEdited = await FolderWithHistoryAsync("Actor edited");
        var untouched = await FolderWithHistoryAsync("Untouched");

        await ExecuteAsync(
            """
            UPDATE entity_versions SET previous_content = jsonb_set(previous_content, '{name}', '"Forged"')
            WHERE entity_kind = 'folder' AND entity_id = $1 AND seq = 2
            """, contentEdited);
        await ExecuteAsync(
            "UPDATE entity_versions SET changed_by = 'key_someone_else' WHERE entity_kind = 'folder' AND entity_id = $1 AND seq = 3",
            actorEdited);

        var breaks = await VersionHistory.VerifyAsync(DataSource, CancellationToken.None);
        Assert.Equal([(contentEdited, 2L), (actorEdited, 3L)], breaks.Select(b => (b.EntityId, b.Seq)).Order());
        Assert.All(breaks, b => Assert.Contains("hash does not match", b.Problem, StringComparison.Ordinal));
        Assert.All(breaks, b => Assert.Equal((_partner.TestTenantId, "default", "folder"), (b.TenantId, b.ContextId, b.EntityKind)));
        Assert.DoesNotContain(breaks, b => b.EntityId == untouched);
    }

    [Fact]
    public async Task Deleting_a_row_is_a_break()
    {
        var middle = await FolderWithHistoryAsync("Middle removed");
        var first = await FolderWithHistoryAsync("First removed");
        await ExecuteAsync("DELETE FROM entity_versions WHERE entity_kind = 'folder' AND entity_id = $1 AND seq = 2", middle);
        await ExecuteAsync("DELETE FROM entity_versions WHERE entity_kind = 'folder' AND entity_id = $1 AND seq = 1", first);

        var breaks = await VersionHistory.VerifyAsync(DataSource, CancellationToken.None);
        var atMiddle = Assert.Single(breaks, b => b.EntityId == middle);
        Assert.Equal(3, atMiddle.Seq);
        Assert.Contains("sequence gap", atMiddle.Problem, StringComparison.Ordinal);
        var atFirst = Assert.Single(breaks, b => b.EntityId == first);
        Assert.Equal(2, atFirst.Seq);
    }

    [Fact]
    public async Task Deleting_the_newest_rows_or_a_whole_chain_is_a_break()
    {
        var truncated = await FolderWithHistoryAsync("Truncated");
        var erased = await FolderWithHistoryAsync("Erased");
        var intact = await FolderWithHistoryAsync("Intact");

        // Each remaining chain is internally consistent; only the recorded heads can tell.
        await ExecuteAsync("DELETE FROM entity_versions WHERE entity_kind = 'folder' AND entity_id = $1 AND seq = 3", truncated);
        var erasedRows = await CountAsync("DELETE FROM entity_versions WHERE entity_kind = 'folder' AND entity_id = $1", erased);
        Assert.Equal(3, erasedRows);

        var breaks = await VersionHistory.VerifyAsync(DataSource, CancellationToken.None);
        Assert.Contains(breaks, b => b.EntityId == truncated && b.Seq == 3 && b.Problem.Contains("newest rows were removed", StringComparison.Ordinal));
        Assert.Contains(breaks, b => b.EntityId == erased && b.Problem.Contains("chain is gone", StringComparison.Ordinal));
        Assert.DoesNotContain(breaks, b => b.EntityId == intact);
    }

    [Fact]
    public async Task Re_hashing_an_edited_row_without_fixing_later_rows_breaks_the_next_link()
    {
        var folder = await FolderWithHistoryAsync("Rehashed");

        // The forger edits row 2 and gives it a hash that matches its new content, exactly as the writer would.
        await ExecuteAsync(
            """
            UPDATE entity_versions SET changed_by = 'key_forger',
                hash = entity_version_hash(prev_hash, tenant_id, context_id, entity_kind, entity_id, seq, change_type,
                                           previous_version, previous_content, changed_fields, change_reason, 'key_forger', created_at)
            WHERE entity_kind = 'folder' AND entity_id = $1 AND seq = 2
            """, folder);

        var breaks = await VersionHistory.VerifyAsync(DataSource, CancellationToken.None);
        var only = Assert.Single(breaks);
        Assert.Equal((folder, 3L), (only.EntityId, only.Seq));
        Assert.Contains("prev_hash", only.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_prints_each_break_and_exits_one()
    {
        var folder = await FolderWithHistoryAsync("Reported");
        await ExecuteAsync(
            "UPDATE entity_versions SET previous_content = '{}' WHERE entity_kind = 'folder' AND entity_id = $1 AND seq = 2", folder);

        var (exit, output) = await RunCliAsync("verify-history");
        Assert.Equal(1, exit);
        Assert.Contains($"BREAK {_partner.TestTenantId} default folder {folder} seq 2:", output, StringComparison.Ordinal);
        Assert.Contains("history broken: 1 break(s)", output, StringComparison.Ordinal);
    }

    /// <summary>A folder with three history rows: CREATE, UPDATE (PUT), UPDATE (PATCH).</summary>
    private async Task<string> FolderWithHistoryAsync(string name)
    {
        var created = await _client.PostAsJsonAsync("/v1/folders", new { name });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsJsonAsync($"/v1/folders/{id}", new { name = name + " v2", description = "d" })).StatusCode);
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/folders/{id}")
        {
            Content = new StringContent("""{"description":"patched"}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(patch)).StatusCode);
        return id;
    }

    private async Task<List<long>> SeqsAsync(string folderId)
    {
        await using var cmd = DataSource.CreateCommand("SELECT seq FROM entity_versions WHERE entity_kind = 'folder' AND entity_id = $1 ORDER BY seq");
        cmd.Parameters.Add(new NpgsqlParameter { Value = folderId });
        var seqs = new List<long>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            seqs.Add(reader.GetInt64(0));
        }

        return seqs;
    }

    private async Task<int> CountAsync(string sql, string folderId)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = folderId });
        return await cmd.ExecuteNonQueryAsync();
    }

    private async Task ExecuteAsync(string sql, string folderId)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = folderId });
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }

    private Task<(int Exit, string Output)> RunCliAsync(params string[] args) => AdminCli.RunAsync(_db.ConnectionString, args);
}
