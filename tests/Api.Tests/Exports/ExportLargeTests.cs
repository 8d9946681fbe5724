using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Exports;

/// <summary>
/// A large export streams: 20 000 records (seeded in bulk) come out complete, written to the blob store as many
/// parts rather than one value. Behaviour only; no timing or memory figure is asserted.
/// </summary>
public sealed class ExportLargeTests : ApiTestBase
{
    private const int Count = 20_000;

    [Fact]
    public async Task Twenty_thousand_records_export_with_the_right_counts_in_many_blob_parts()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "bulk",
            displayName = "Bulk",
            fields = new object[] { new { fieldId = "n", fieldType = "number" }, new { fieldId = "text", fieldType = "string" } },
        })).StatusCode);
        await using (var cmd = Db.CreateCommand(
            """
            INSERT INTO records (tenant_id, context_id, record_id, type_name, payload, created_by, index_mode)
            SELECT $1, 'default', gen_random_uuid(), 'bulk',
                   jsonb_build_object('n', g, 'text', 'row ' || g || ' ' || repeat('x', 200)), 'seed', 'NONE'
            FROM generate_series(1, $2) g
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = Partner.TestTenantId });
            cmd.Parameters.Add(new NpgsqlParameter { Value = Count });
            await cmd.ExecuteNonQueryAsync();
        }

        var id = await ExportClient.SubmitAsync(Client, new { contextScope = new[] { "default" } });
        var job = await ExportClient.WaitAsync(Client, id, TimeSpan.FromMinutes(5));
        var lines = await ExportClient.DownloadAsync(job.GetProperty("downloadUrl").GetString()!);

        Assert.Equal(Count, job.GetProperty("manifest").GetProperty("totalRecords").GetInt64());
        ExportClient.AssertCountsMatch(job, lines);
        var numbers = lines.OfType("record").Select(l => l.GetProperty("record").GetProperty("payload").GetProperty("n").GetInt32()).ToHashSet();
        Assert.Equal(Count, numbers.Count);
        Assert.Equal(Enumerable.Range(1, Count).ToHashSet(), numbers);
        Assert.True(await PartsAsync(id) > 1, "the payload is stored as several parts");
    }

    private async Task<long> PartsAsync(string exportId)
    {
        await using var cmd = Db.CreateCommand("SELECT count(*) FROM blob_parts WHERE tenant_id = $1 AND blob_key = $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = Partner.TestTenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = exportId });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
