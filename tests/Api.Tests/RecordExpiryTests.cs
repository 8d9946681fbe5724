using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Records;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// <c>expiresAt</c> (API-DELTA-0.40 §2): needs <c>capabilities.ttlEligible</c>, at least ten minutes' notice, can be
/// extended but not removed, and the durable expiry sweep deletes expired records with a tombstone.
/// </summary>
public sealed class RecordExpiryTests : RecordTestBase
{
    private static string At(TimeSpan fromNow) => DateTimeOffset.UtcNow.Add(fromNow).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private Task TtlSchemaAsync() =>
        CreateSchemaAsync(new { typeName = "session", displayName = "Session", capabilities = new { ttlEligible = true } });

    [Fact]
    public async Task ExpiresAt_needs_a_ttl_eligible_schema_and_ten_minutes_notice()
    {
        await CreateBareSchemaAsync("note");
        await TtlSchemaAsync();
        var before = await CountRowsAsync();

        var notEligible = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records",
            new { typeName = "note", payload = new { }, expiresAt = At(TimeSpan.FromHours(1)) }), HttpStatusCode.BadRequest);
        Assert.Equal("expiresAt", notEligible.GetProperty("details").GetProperty("field").GetString());
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records",
            new { typeName = "session", payload = new { }, expiresAt = At(TimeSpan.FromMinutes(2)) }), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records",
            new { typeName = "session", payload = new { }, expiresAt = "tomorrow" }), HttpStatusCode.BadRequest);
        Assert.Equal(before, await CountRowsAsync());

        var expires = At(TimeSpan.FromHours(1));
        var created = await CreateRecordAsync(new { typeName = "session", payload = new { }, expiresAt = expires });
        Assert.Equal(DateTimeOffset.Parse(expires), DateTimeOffset.Parse(created.GetProperty("expiresAt").GetString()!));

        // Omitted or null: kept. Earlier: refused. Later: extended.
        var kept = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{Id(created)}", new { payload = new { a = 1 } }), HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("expiresAt").GetString(), kept.GetProperty("expiresAt").GetString());
        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{Id(created)}", new { expiresAt = At(TimeSpan.FromMinutes(30)) }), HttpStatusCode.BadRequest);
        var extended = await ExpectAsync(await PatchAsync(Client, $"/v1/records/{Id(created)}", new { expiresAt = At(TimeSpan.FromHours(2)) }), HttpStatusCode.OK);
        Assert.True(DateTimeOffset.Parse(extended.GetProperty("expiresAt").GetString()!) > DateTimeOffset.Parse(expires));
    }

    [Fact]
    public async Task The_sweep_deletes_expired_records_with_a_tombstone_and_history()
    {
        await TtlSchemaAsync();
        var doomed = await CreateRecordAsync(new { typeName = "session", payload = new { n = 1 }, expiresAt = At(TimeSpan.FromHours(1)) });
        var kept = await CreateRecordAsync(new { typeName = "session", payload = new { n = 2 }, expiresAt = At(TimeSpan.FromHours(1)) });
        var forever = await CreateRecordAsync(new { typeName = "session", payload = new { n = 3 } });

        // Time passes for one of them (the ten-minute notice makes waiting for real impractical).
        await ExecuteAsync("UPDATE records SET expires_at = now() - interval '1 second' WHERE tenant_id = $1 AND record_id = $2",
            Partner.TestTenantId, Guid.Parse(Id(doomed)));

        // The schedule is durable: a reminder row exists for the sweep.
        await Vectros.TestSupport.Poll.UntilAsync(
            async () => await ScalarAsync("SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'sweep' AND grain_id LIKE '%record-expiry%'") >= 1,
            "the expiry sweep's reminder to be registered");

        var sweep = Server.Services.GetRequiredService<IGrainFactory>().GetGrain<IRecordExpiryGrain>(IRecordExpiryGrain.Key);
        Assert.True(await sweep.SweepAsync() >= 1);

        await ExpectAsync(await Client.GetAsync($"/v1/records/{Id(doomed)}"), HttpStatusCode.NotFound);
        var tombstone = await ExpectAsync(await Client.GetAsync($"/v1/records/{Id(doomed)}/tombstone"), HttpStatusCode.OK);
        Assert.Equal(1, tombstone.GetProperty("payload").GetProperty("n").GetInt32());
        var versions = await ExpectAsync(await Client.GetAsync($"/v1/records/{Id(doomed)}/versions"), HttpStatusCode.OK);
        var newest = versions.GetProperty("data")[0];
        Assert.Equal("DELETE", newest.GetProperty("changeType").GetString());
        Assert.Equal("system:expiry", newest.GetProperty("changedBy").GetString());

        await ExpectAsync(await Client.GetAsync($"/v1/records/{Id(kept)}"), HttpStatusCode.OK);
        await ExpectAsync(await Client.GetAsync($"/v1/records/{Id(forever)}"), HttpStatusCode.OK);
    }
}
