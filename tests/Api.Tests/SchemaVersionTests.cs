using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Grains.History;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Schema history (spec L4400): always kept, newest first, CREATE/UPDATE/DELETE, hash-chained.</summary>
public sealed class SchemaVersionTests : SchemaTestBase
{
    [Fact]
    public async Task Every_write_adds_a_version_and_history_outlives_the_schema()
    {
        var created = await CreateAsync(new { typeName = "memo", displayName = "Memo", capabilities = new { auditHistory = false } });
        var id = created.GetProperty("id").GetString();
        var put = await Client.PutAsJsonAsync($"/v1/schemas/{id}", new { displayName = "Memo 2", fields = new[] { new { fieldId = "body", fieldType = "string" } } });
        Assert.Equal(2, (await JsonAsync(put)).GetProperty("schemaVersion").GetInt32());
        var upsert = await Client.PostAsJsonAsync("/v1/schemas?upsert=true", new { typeName = "memo", displayName = "Memo 3" });
        Assert.Equal(3, (await JsonAsync(upsert)).GetProperty("schemaVersion").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/schemas/{id}")).StatusCode);

        var response = await Client.GetAsync($"/v1/schemas/{id}/versions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await JsonAsync(response);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        var rows = page.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["DELETE", "UPDATE", "UPDATE", "CREATE"], rows.Select(r => r.GetProperty("changeType").GetString()));

        var create = rows[3];
        Assert.False(create.TryGetProperty("previousContent", out _));
        Assert.False(create.TryGetProperty("previousVersion", out _));
        Assert.False(string.IsNullOrEmpty(create.GetProperty("changedBy").GetString()));

        var firstUpdate = rows[2];
        Assert.Equal(1, firstUpdate.GetProperty("previousVersion").GetInt64());
        var previous = JsonDocument.Parse(firstUpdate.GetProperty("previousContent").GetString()!).RootElement;
        Assert.Equal("Memo", previous.GetProperty("displayName").GetString());
        Assert.Equal(id, previous.GetProperty("id").GetString());
        var changed = firstUpdate.GetProperty("changedFields");
        Assert.Contains("displayName", changed.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains("fields", changed.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("Memo 2", changed.GetProperty("details").GetProperty("displayName").GetProperty("targetVal").GetString());
        Assert.Contains("displayName", firstUpdate.GetProperty("changeReason").GetString());

        var delete = rows[0];
        Assert.Equal(3, delete.GetProperty("previousVersion").GetInt64());
        Assert.Equal("Memo 3", JsonDocument.Parse(delete.GetProperty("previousContent").GetString()!).RootElement.GetProperty("displayName").GetString());

        var breaks = await VersionHistory.VerifyAsync(Db, CancellationToken.None);
        Assert.DoesNotContain(breaks, b => b.TenantId == Partner.TestTenantId);
    }

    [Fact]
    public async Task Versions_page_with_start_from()
    {
        var created = await CreateAsync(new { typeName = "busy", displayName = "v0" });
        var id = created.GetProperty("id").GetString();
        for (var i = 1; i <= 24; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync($"/v1/schemas/{id}", new { displayName = $"v{i}" })).StatusCode);
        }

        var first = await JsonAsync(await Client.GetAsync($"/v1/schemas/{id}/versions"));
        Assert.Equal(20, first.GetProperty("data").GetArrayLength());
        Assert.Equal(24, first.GetProperty("data")[0].GetProperty("previousVersion").GetInt64());
        var cursor = first.GetProperty("nextCursor").GetString();
        Assert.NotNull(cursor);

        var second = await JsonAsync(await Client.GetAsync($"/v1/schemas/{id}/versions?startFrom={Uri.EscapeDataString(cursor)}"));
        Assert.Equal(5, second.GetProperty("data").GetArrayLength());
        Assert.Equal("CREATE", second.GetProperty("data")[4].GetProperty("changeType").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        var bad = await Client.GetAsync($"/v1/schemas/{id}/versions?startFrom=abc");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Unknown_ids_have_no_versions()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/schemas/{Guid.CreateVersion7()}/versions")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v1/schemas/nope/versions")).StatusCode);
    }
}
