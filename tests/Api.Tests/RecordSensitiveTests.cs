using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Security;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

public sealed class RecordSensitiveTests : RecordTestBase
{
    private const string Ssn = "123-45-6789";
    private const string NewSsn = "987-65-4321";
    private const string Diagnosis = "ZZ-secret-diagnosis";

    private Task PatientSchemaAsync() => CreateSchemaAsync(new
    {
        typeName = "patient",
        displayName = "Patient",
        fields = new object[]
        {
            new { fieldId = "name", fieldType = "string" },
            new { fieldId = "ssn", fieldType = "string", sensitive = true, validation = new { pattern = "^[0-9]{3}-[0-9]{2}-[0-9]{4}$" } },
            new { fieldId = "diagnosis", fieldType = "string", sensitive = true, validation = new { maxLength = 40 } },
            new { fieldId = "score", fieldType = "number", sensitive = true },
        },
        lookupFields = new object[] { new { fieldName = "ssn", unique = true } },
    });

    private CallerContext Revealer => new(Partner.TestTenantId, "default", "key_revealer", IsRoot: false, ["records:crud:patient", "records:rs:patient"]);

    private CallerContext Root => new(Partner.TestTenantId, "default", Partner.TestKey.KeyId, IsRoot: true, []);

    private IRecordGrain Grain(string id) =>
        Server.Services.GetRequiredService<IGrainFactory>().GetGrain<IRecordGrain>(Root.KeyFor(id));

    [Fact]
    public async Task Sensitive_values_are_redacted_for_root_keys_everywhere()
    {
        await PatientSchemaAsync();
        var created = await CreateRecordAsync(new { typeName = "patient", payload = new { name = "Ann", ssn = Ssn, diagnosis = Diagnosis, score = 7 } });
        var id = Id(created);
        AssertRedacted(created.GetProperty("payload"));
        Assert.Equal("Ann", created.GetProperty("payload").GetProperty("name").GetString());

        AssertRedacted((await ExpectAsync(await Client.GetAsync($"/v1/records/{id}"), HttpStatusCode.OK)).GetProperty("payload"));
        AssertRedacted((await ExpectAsync(await Client.GetAsync("/v1/records?type=patient"), HttpStatusCode.OK)).GetProperty("data")[0].GetProperty("payload"));
        AssertRedacted((await ExpectAsync(await Client.PostAsJsonAsync("/v1/records/lookup", new { type = "patient", field = "ssn", value = Ssn }), HttpStatusCode.OK))
            .GetProperty("data")[0].GetProperty("payload"));
        AssertRedacted((await ExpectAsync(await PatchAsync(Client, $"/v1/records/{id}", new { payload = new { name = "Bo" } }), HttpStatusCode.OK)).GetProperty("payload"));

        // The grain itself never reveals to a root key either.
        AssertRedacted((await Grain(id).GetAsync(Root)).Payload);
    }

    [Fact]
    public async Task A_reveal_grant_gets_the_plaintext_back()
    {
        await PatientSchemaAsync();
        var id = Id(await CreateRecordAsync(new { typeName = "patient", payload = new { name = "Ann", ssn = Ssn, diagnosis = Diagnosis, score = 7 } }));

        var revealed = await Grain(id).GetAsync(Revealer);
        Assert.Equal(Ssn, revealed.Payload.GetProperty("ssn").GetString());
        Assert.Equal(Diagnosis, revealed.Payload.GetProperty("diagnosis").GetString());
        Assert.Equal(7, revealed.Payload.GetProperty("score").GetInt32());

        // Values survive an update that does not touch them (decrypted, merged, encrypted again).
        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{id}", new { payload = new { name = "Bo" } }), HttpStatusCode.OK);
        Assert.Equal(Ssn, (await Grain(id).GetAsync(Revealer)).Payload.GetProperty("ssn").GetString());

        var query = Server.Services.GetRequiredService<IGrainFactory>().GetGrain<IRecordQueryGrain>(Revealer.ContextKey);
        var found = await query.LookupAsync(Revealer, new RecordLookupQuery { Type = "patient", Field = "ssn", Value = Ssn, FromBody = true });
        Assert.Equal(Ssn, Assert.Single(found.Data).Payload.GetProperty("ssn").GetString());
        var listed = await query.ListAsync(Revealer, new RecordListQuery { Type = "patient" });
        Assert.Equal(Diagnosis, Assert.Single(listed.Data).Payload.GetProperty("diagnosis").GetString());

        // A reveal grant for another type reveals nothing here.
        var other = new CallerContext(Partner.TestTenantId, "default", "key_other", IsRoot: false, ["records:r:patient", "records:rs:doctor"]);
        AssertRedacted((await Grain(id).GetAsync(other)).Payload);
    }

    [Fact]
    public async Task Nothing_at_rest_or_in_history_tombstones_or_the_outbox_holds_the_plaintext()
    {
        await PatientSchemaAsync();
        var id = Id(await CreateRecordAsync(new { typeName = "patient", payload = new { name = "Ann", ssn = Ssn, diagnosis = Diagnosis, score = 7 } }));
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { name = "Ann", ssn = NewSsn, diagnosis = Diagnosis, score = 8 } }), HttpStatusCode.OK);

        var stored = await TextAsync("SELECT payload::text FROM records WHERE tenant_id = $1 AND record_id = $2", Partner.TestTenantId, Guid.Parse(id));
        Assert.DoesNotContain(NewSsn, stored);
        Assert.DoesNotContain(Diagnosis, stored);
        Assert.Contains("$enc", stored);
        Assert.Contains("Ann", stored);

        // The lookup row holds the keyed blind index of the value, never the value.
        var key = await TextAsync("SELECT value_key FROM record_lookups WHERE tenant_id = $1 AND record_id = $2", Partner.TestTenantId, Guid.Parse(id));
        var keys = await Server.Services.GetRequiredService<TenantKeyring>().GetAsync(Partner.TestTenantId);
        Assert.Equal(keys.BlindIndex("patient.ssn", NewSsn), key);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM record_lookups WHERE tenant_id = $1 AND (value_text IS NOT NULL OR value_num IS NOT NULL)", Partner.TestTenantId));

        await ExpectAsync(await Client.DeleteAsync($"/v1/records/{id}"), HttpStatusCode.NoContent);
        var history = await TextAsync(
            "SELECT string_agg(coalesce(previous_content::text, '') || coalesce(changed_fields::text, ''), '|') FROM entity_versions WHERE tenant_id = $1 AND entity_id = $2",
            Partner.TestTenantId, id);
        var tombstone = await TextAsync("SELECT snapshot::text FROM record_tombstones WHERE tenant_id = $1 AND record_id = $2", Partner.TestTenantId, Guid.Parse(id));
        var outbox = await TextAsync($"SELECT string_agg(payload::text, '|') FROM {OutboxLog.Table} WHERE tenant_id = $1", Partner.TestTenantId);
        foreach (var text in new[] { history, tombstone, outbox })
        {
            foreach (var secret in new[] { Ssn, NewSsn, Diagnosis, "\"score\"", "\"ssn\"", "payload.ssn", "payload.score", "$enc" })
            {
                Assert.DoesNotContain(secret, text);
            }
        }

        Assert.Contains("Ann", history);
        var page = await ExpectAsync(await Client.GetAsync($"/v1/records/{id}/versions"), HttpStatusCode.OK);
        Assert.DoesNotContain(NewSsn, page.GetRawText());
        Assert.DoesNotContain(Ssn, page.GetRawText());
        var dead = await ExpectAsync(await Client.GetAsync($"/v1/records/{id}/tombstone"), HttpStatusCode.OK);
        Assert.False(dead.GetProperty("payload").TryGetProperty("ssn", out _), "destroyed, not masked");
        Assert.Equal("Ann", dead.GetProperty("payload").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Validation_errors_on_a_sensitive_field_name_it_but_never_echo_the_value()
    {
        await PatientSchemaAsync();
        const string bad = "SSN-NOT-VALID-4242";
        var pattern = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "patient", payload = new { ssn = bad } }), HttpStatusCode.BadRequest);
        Assert.Equal("payload.ssn", pattern.GetProperty("details").GetProperty("field").GetString());
        Assert.DoesNotContain(bad, pattern.GetRawText());

        var tooLong = new string('Q', 60);
        var length = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "patient", payload = new { diagnosis = tooLong } }), HttpStatusCode.BadRequest);
        Assert.Equal("payload.diagnosis", length.GetProperty("details").GetProperty("field").GetString());
        Assert.DoesNotContain(tooLong, length.GetRawText());

        var type = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "patient", payload = new { score = "forty-two-secret" } }), HttpStatusCode.BadRequest);
        Assert.DoesNotContain("forty-two-secret", type.GetRawText());
        Assert.Equal(0, (await CountRowsAsync()).Records);
    }

    [Fact]
    public async Task Ciphertext_is_bound_to_its_tenant_context_type_record_and_field()
    {
        await PatientSchemaAsync();
        var id = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "patient", payload = new { ssn = Ssn, diagnosis = Diagnosis } })));
        var stored = JsonDocument.Parse(await TextAsync("SELECT payload::text FROM records WHERE tenant_id = $1 AND record_id = $2", Partner.TestTenantId, id)).RootElement;
        var cipher = stored.GetProperty("ssn").GetProperty("$enc").GetString()!;
        var keys = await Server.Services.GetRequiredService<TenantKeyring>().GetAsync(Partner.TestTenantId);
        var place = new CipherBinding(Partner.TestTenantId, "default", "record", "patient", id);
        Assert.Equal($"\"{Ssn}\"", keys.Decrypt(cipher, place.For("ssn"), place.Legacy("ssn"), "ssn"));
        Assert.Throws<Vectros.Grains.Abstractions.Errors.ConflictException>(() => keys.Decrypt(cipher, place.For("diagnosis"), place.Legacy("diagnosis"), "diagnosis"));
        var elsewhere = place with { ContextId = "other" };
        Assert.Throws<Vectros.Grains.Abstractions.Errors.ConflictException>(() => keys.Decrypt(cipher, elsewhere.For("ssn"), elsewhere.Legacy("ssn"), "ssn"));
        var otherRecord = place with { ItemId = Guid.NewGuid() };
        Assert.Throws<Vectros.Grains.Abstractions.Errors.ConflictException>(() => keys.Decrypt(cipher, otherRecord.For("ssn"), otherRecord.Legacy("ssn"), "ssn"));
        var otherTenant = await Server.Services.GetRequiredService<TenantKeyring>().GetAsync(Partner.LiveTenantId);
        Assert.Throws<Vectros.Grains.Abstractions.Errors.ConflictException>(() => otherTenant.Decrypt(cipher, place.For("ssn"), place.Legacy("ssn"), "ssn"));
    }

    private static void AssertRedacted(JsonElement payload)
    {
        Assert.Equal("[redacted]", payload.GetProperty("ssn").GetString());
        Assert.Equal("[redacted]", payload.GetProperty("diagnosis").GetString());
        Assert.Equal("[redacted]", payload.GetProperty("score").GetString());
    }
}
