using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Grains.Abstractions.Records;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

public sealed class RecordCrudTests : RecordTestBase
{
    private async Task PatientSchemaAsync(object? capabilities = null, string? indexMode = null) =>
        await CreateSchemaAsync(new
        {
            typeName = "patient",
            displayName = "Patient",
            indexMode,
            capabilities = capabilities ?? new { auditHistory = true },
            fields = new object[]
            {
                new { fieldId = "name", fieldType = "string", required = true, validation = new { maxLength = 50 } },
                new { fieldId = "age", fieldType = "number" },
                new { fieldId = "address", fieldType = "object" },
            },
            lookupFields = new object[] { "name" },
        });

    [Fact]
    public async Task Create_get_and_defaults()
    {
        var schema = await CreateSchemaAsync(new { typeName = "note", displayName = "Note" });
        var created = await CreateRecordAsync(new { typeName = "note", payload = new { text = "hello", n = 1 } });
        Assert.True(created.GetProperty("created").GetBoolean());
        Assert.Equal("note", created.GetProperty("typeName").GetString());
        Assert.Equal(schema.GetProperty("id").GetString(), created.GetProperty("schemaId").GetString());
        Assert.Equal(1, created.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("ACTIVE", created.GetProperty("status").GetString());
        Assert.Equal("NONE", created.GetProperty("indexMode").GetString());
        Assert.False(created.TryGetProperty("indexStatus", out _), "indexStatus is null for NONE");
        Assert.Equal(1, created.GetProperty("version").GetInt64());
        Assert.Equal(Partner.TestKey.KeyId, created.GetProperty("createdBy").GetString());
        Assert.Equal(7, Guid.Parse(Id(created)).Version);

        var get = await ExpectAsync(await Client.GetAsync($"/v1/records/{Id(created)}"), HttpStatusCode.OK);
        Assert.False(get.TryGetProperty("created", out _));
        Assert.Equal("hello", get.GetProperty("payload").GetProperty("text").GetString());
        Assert.Equal(created.GetProperty("updatedAt").GetString(), get.GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task Type_can_be_named_by_schema_id_and_both_must_agree()
    {
        var note = await CreateSchemaAsync(new { typeName = "note", displayName = "Note" });
        await CreateSchemaAsync(new { typeName = "memo", displayName = "Memo" });
        var schemaId = note.GetProperty("id").GetString();

        var bySchema = await CreateRecordAsync(new { schemaId, payload = new { a = 1 } });
        Assert.Equal("note", bySchema.GetProperty("typeName").GetString());
        await CreateRecordAsync(new { typeName = "note", schemaId, payload = new { a = 1 } });

        var disagree = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "memo", schemaId }), HttpStatusCode.BadRequest);
        Assert.Equal("schemaId", disagree.GetProperty("details").GetProperty("field").GetString());
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { schemaId = Guid.NewGuid() }), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { payload = new { a = 1 } }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_type_without_a_schema_an_inactive_schema_and_a_non_record_schema_refuse_records()
    {
        var none = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "ghost", payload = new { } }), HttpStatusCode.BadRequest);
        Assert.Contains("no schema", none.GetProperty("message").GetString());

        await CreateSchemaAsync(new { typeName = "old", displayName = "Old", active = false });
        var inactive = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "old" }), HttpStatusCode.BadRequest);
        Assert.Contains("inactive", inactive.GetProperty("message").GetString());

        await CreateSchemaAsync(new { typeName = "doc", displayName = "Doc", allowedSurfaces = new[] { "document" } });
        var surface = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "doc" }), HttpStatusCode.BadRequest);
        Assert.Contains("record surface", surface.GetProperty("message").GetString());
        Assert.Equal(0, (await CountRowsAsync()).Records);
    }

    [Fact]
    public async Task Create_is_idempotent_by_external_id_and_upsert_overwrites_mutable_fields()
    {
        await CreateBareSchemaAsync("note");
        var first = await CreateRecordAsync(new { typeName = "note", externalId = "n-1", payload = new { v = 1 }, status = "ACTIVE" });

        var again = await Client.PostAsJsonAsync("/v1/records", new { typeName = "note", externalId = "n-1", payload = new { v = 2 } });
        var same = await ExpectAsync(again, HttpStatusCode.OK);
        Assert.False(same.GetProperty("created").GetBoolean());
        Assert.Equal(Id(first), Id(same));
        Assert.Equal(1, same.GetProperty("payload").GetProperty("v").GetInt32());
        Assert.Equal(1, same.GetProperty("version").GetInt64());

        var upsert = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records?upsert=true",
            new { typeName = "note", externalId = "n-1", payload = new { v = 2 }, status = "ARCHIVED", userId = Guid.NewGuid() }), HttpStatusCode.OK);
        Assert.False(upsert.GetProperty("created").GetBoolean());
        Assert.Equal(Id(first), Id(upsert));
        Assert.Equal(2, upsert.GetProperty("payload").GetProperty("v").GetInt32());
        Assert.Equal("ARCHIVED", upsert.GetProperty("status").GetString());
        Assert.False(upsert.TryGetProperty("userId", out _), "ownership never changes on upsert");
        Assert.Equal(2, upsert.GetProperty("version").GetInt64());

        // Re-applying the same upsert is a no-op: no version bump, no history row, no outbox row.
        var before = await CountRowsAsync();
        var noop = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records?upsert=true",
            new { typeName = "note", externalId = "n-1", payload = new { v = 2 }, status = "ARCHIVED" }), HttpStatusCode.OK);
        Assert.Equal(2, noop.GetProperty("version").GetInt64());
        Assert.Equal(before, await CountRowsAsync());

        // The same externalId under another type is another record.
        await CreateBareSchemaAsync("memo");
        var memo = await CreateRecordAsync(new { typeName = "memo", externalId = "n-1" });
        Assert.NotEqual(Id(first), Id(memo));
        Assert.Equal(2, (await CountRowsAsync()).Records);
    }

    [Fact]
    public async Task Concurrent_creates_with_one_external_id_make_one_record()
    {
        await CreateBareSchemaAsync("note");
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Client.PostAsJsonAsync("/v1/records", new { typeName = "note", externalId = "same", payload = new { i } })));
        var bodies = new List<JsonElement>();
        foreach (var response in responses)
        {
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, response.StatusCode.ToString());
            bodies.Add(await JsonAsync(response));
        }

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Single(bodies.Select(Id).Distinct());
        Assert.Equal(1, (await CountRowsAsync()).Records);
    }

    [Fact]
    public async Task Put_replaces_the_payload_and_keeps_omitted_fields()
    {
        await PatientSchemaAsync();
        var userId = Guid.NewGuid();
        var created = await CreateRecordAsync(new { typeName = "patient", payload = new { name = "Ann", age = 30 }, userId, status = "ARCHIVED" });
        var id = Id(created);

        var put = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { name = "Bea" } }), HttpStatusCode.OK);
        Assert.Equal("Bea", put.GetProperty("payload").GetProperty("name").GetString());
        Assert.False(put.GetProperty("payload").TryGetProperty("age", out _), "PUT replaces the payload whole");
        Assert.Equal("ARCHIVED", put.GetProperty("status").GetString());
        Assert.Equal(userId.ToString(), put.GetProperty("userId").GetString());
        Assert.Equal(2, put.GetProperty("version").GetInt64());

        // Nulls keep values on PUT; a payload-less PUT keeps the payload.
        var status = await ExpectAsync(await Client.PutAsync($"/v1/records/{id}", RawJson("""{"status":"ACTIVE","userId":null,"payload":null}""")), HttpStatusCode.OK);
        Assert.Equal("ACTIVE", status.GetProperty("status").GetString());
        Assert.Equal("Bea", status.GetProperty("payload").GetProperty("name").GetString());
        Assert.Equal(userId.ToString(), status.GetProperty("userId").GetString());

        // typeName and schemaId are ignored on update; externalId and indexMode may not change.
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { typeName = "other", payload = new { name = "Cy" } }), HttpStatusCode.OK);
        var ext = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { externalId = "x" }), HttpStatusCode.BadRequest);
        Assert.Equal("externalId", ext.GetProperty("details").GetProperty("field").GetString());
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { indexMode = "HYBRID" }), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { indexMode = "NONE" }), HttpStatusCode.OK);

        // The new payload is validated.
        var invalid = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { age = 3 } }), HttpStatusCode.BadRequest);
        Assert.Equal("payload.name", invalid.GetProperty("details").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Patch_merges_the_payload_per_rfc_7386()
    {
        await PatientSchemaAsync();
        var created = await CreateRecordAsync(new
        {
            typeName = "patient",
            payload = new { name = "Ann", age = 30, address = new { street = "Main", zip = "123", city = "X" } },
        });
        var id = Id(created);

        var patched = await ExpectAsync(await PatchRawAsync(Client, $"/v1/records/{id}",
            """{"payload":{"age":null,"address":{"zip":"999","city":null,"country":"NZ"}},"status":"ARCHIVED"}"""), HttpStatusCode.OK);
        var payload = patched.GetProperty("payload");
        Assert.Equal("Ann", payload.GetProperty("name").GetString());
        Assert.False(payload.TryGetProperty("age", out _));
        Assert.Equal("Main", payload.GetProperty("address").GetProperty("street").GetString());
        Assert.Equal("999", payload.GetProperty("address").GetProperty("zip").GetString());
        Assert.False(payload.GetProperty("address").TryGetProperty("city", out _));
        Assert.Equal("NZ", payload.GetProperty("address").GetProperty("country").GetString());
        Assert.Equal("ARCHIVED", patched.GetProperty("status").GetString());
        Assert.Equal(2, patched.GetProperty("version").GetInt64());

        // The merged result is validated: removing a required field is a 400.
        var invalid = await ExpectAsync(await PatchRawAsync(Client, $"/v1/records/{id}", """{"payload":{"name":null}}"""), HttpStatusCode.BadRequest);
        Assert.Equal("payload.name", invalid.GetProperty("details").GetProperty("field").GetString());

        // The merge-patch media type is accepted too.
        var mergePatch = new StringContent("""{"payload":{"age":41}}""", System.Text.Encoding.UTF8, "application/merge-patch+json");
        var viaMediaType = await ExpectAsync(await Client.PatchAsync($"/v1/records/{id}", mergePatch), HttpStatusCode.OK);
        Assert.Equal(41, viaMediaType.GetProperty("payload").GetProperty("age").GetInt32());
    }

    [Theory]
    [InlineData("""{"status":null}""", "status")]
    [InlineData("""{"userId":null}""", "userId")]
    [InlineData("""{"payload":null}""", "payload")]
    [InlineData("""{"typeName":"patient"}""", "typeName")]
    [InlineData("""{"schemaId":"6ba7b810-9dad-11d1-80b4-00c04fd430c8"}""", "schemaId")]
    [InlineData("""{"externalId":"x"}""", "externalId")]
    [InlineData("""{"indexMode":"NONE"}""", "indexMode")]
    [InlineData("""{"colour":"red"}""", "colour")]
    public async Task Patch_refuses_top_level_nulls_immutable_and_unknown_fields(string body, string field)
    {
        await PatientSchemaAsync();
        var id = Id(await CreateRecordAsync(new { typeName = "patient", payload = new { name = "Ann" } }));
        var error = await ExpectAsync(await PatchRawAsync(Client, $"/v1/records/{id}", body), HttpStatusCode.BadRequest);
        Assert.Equal(field, error.GetProperty("details").GetProperty("field").GetString());
        var get = await JsonAsync(await Client.GetAsync($"/v1/records/{id}"));
        Assert.Equal(1, get.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Expected_version_conflicts_and_last_write_wins_without_it()
    {
        await PatientSchemaAsync();
        var id = Id(await CreateRecordAsync(new { typeName = "patient", payload = new { name = "Ann" } }));

        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { name = "B" }, expectedVersion = 1 }), HttpStatusCode.OK);
        var stale = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { name = "C" }, expectedVersion = 1 }), HttpStatusCode.Conflict);
        Assert.Equal("VERSION_CONFLICT", stale.GetProperty("errorCode").GetString());
        var stalePatch = await ExpectAsync(await PatchAsync(Client, $"/v1/records/{id}", new { payload = new { name = "C" }, expectedVersion = 1 }), HttpStatusCode.Conflict);
        Assert.Equal("VERSION_CONFLICT", stalePatch.GetProperty("errorCode").GetString());

        var current = await ExpectAsync(await PatchAsync(Client, $"/v1/records/{id}", new { payload = new { name = "D" }, expectedVersion = 2 }), HttpStatusCode.OK);
        Assert.Equal(3, current.GetProperty("version").GetInt64());
        var lastWins = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { name = "E" } }), HttpStatusCode.OK);
        Assert.Equal(4, lastWins.GetProperty("version").GetInt64());
        Assert.Equal("E", (await JsonAsync(await Client.GetAsync($"/v1/records/{id}"))).GetProperty("payload").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Expected_version_is_ignored_on_create()
    {
        await CreateBareSchemaAsync("note");
        var created = await CreateRecordAsync(new { typeName = "note", expectedVersion = 42 });
        Assert.Equal(1, created.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Delete_is_hard_and_leaves_a_tombstone()
    {
        await PatientSchemaAsync();
        var created = await CreateRecordAsync(new { typeName = "patient", externalId = "p-1", payload = new { name = "Ann", age = 3 } });
        var id = Id(created);
        Assert.Equal(1, (await CountRowsAsync()).Lookups);

        await ExpectAsync(await Client.GetAsync($"/v1/records/{id}/tombstone"), HttpStatusCode.NotFound);
        await ExpectAsync(await Client.DeleteAsync($"/v1/records/{id}"), HttpStatusCode.NoContent);
        await ExpectAsync(await Client.GetAsync($"/v1/records/{id}"), HttpStatusCode.NotFound);
        await ExpectAsync(await Client.DeleteAsync($"/v1/records/{id}"), HttpStatusCode.NotFound);
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { status = "ARCHIVED" }), HttpStatusCode.NotFound);

        var counts = await CountRowsAsync();
        Assert.Equal(0, counts.Records);
        Assert.Equal(0, counts.Lookups);
        Assert.Equal(1, counts.Tombstones);

        var tombstone = await ExpectAsync(await Client.GetAsync($"/v1/records/{id}/tombstone"), HttpStatusCode.OK);
        Assert.Equal(id, Id(tombstone));
        Assert.Equal("patient", tombstone.GetProperty("typeName").GetString());
        Assert.Equal("p-1", tombstone.GetProperty("externalId").GetString());
        Assert.Equal("DELETED", tombstone.GetProperty("status").GetString());
        Assert.Equal("Ann", tombstone.GetProperty("payload").GetProperty("name").GetString());

        // The externalId is free again.
        var again = await CreateRecordAsync(new { typeName = "patient", externalId = "p-1", payload = new { name = "New" } });
        Assert.NotEqual(id, Id(again));
    }

    [Fact]
    public async Task Every_write_queues_an_index_outbox_row_in_the_same_transaction()
    {
        await PatientSchemaAsync(indexMode: "HYBRID");
        var created = await CreateRecordAsync(new { typeName = "patient", payload = new { name = "Ann" } });
        var id = Id(created);
        Assert.Equal("PENDING_INDEX", created.GetProperty("indexStatus").GetString());
        Assert.Equal("HYBRID", created.GetProperty("indexMode").GetString());
        await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { name = "Bo" } });
        await PatchAsync(Client, $"/v1/records/{id}", new { status = "ARCHIVED" });
        await Client.DeleteAsync($"/v1/records/{id}");

        var ops = new List<string>();
        await using (var cmd = Db.CreateCommand($"SELECT payload::text FROM {OutboxLog.Table} WHERE tenant_id = $1 AND kind = 'record.index' ORDER BY id"))
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Partner.TestTenantId });
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var row = JsonDocument.Parse(reader.GetString(0)).RootElement;
                Assert.Equal(id, row.GetProperty("recordId").GetString());
                ops.Add(row.GetProperty("op").GetString()!);
            }
        }

        Assert.Equal(["upsert", "upsert", "upsert", "delete"], ops);
    }

    [Fact]
    public async Task Index_mode_resolves_record_then_schema_then_none()
    {
        await CreateSchemaAsync(new { typeName = "hy", displayName = "Hy", indexMode = "TEXT" });
        await CreateBareSchemaAsync("plain");
        Assert.Equal("TEXT", (await CreateRecordAsync(new { typeName = "hy" })).GetProperty("indexMode").GetString());
        Assert.Equal("SEMANTIC", (await CreateRecordAsync(new { typeName = "hy", indexMode = "SEMANTIC" })).GetProperty("indexMode").GetString());
        var none = await CreateRecordAsync(new { typeName = "hy", indexMode = "NONE" });
        Assert.Equal("NONE", none.GetProperty("indexMode").GetString());
        Assert.False(none.TryGetProperty("indexStatus", out _));
        Assert.Equal("NONE", (await CreateRecordAsync(new { typeName = "plain" })).GetProperty("indexMode").GetString());
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "plain", indexMode = "FAST" }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Records_are_stamped_with_the_schema_version_they_were_written_under()
    {
        await CreateSchemaAsync(new { typeName = "note", displayName = "Note", fields = new object[] { new { fieldId = "a", fieldType = "string" } } });
        var first = await CreateRecordAsync(new { typeName = "note", payload = new { a = "x" } });
        Assert.Equal(1, first.GetProperty("schemaVersion").GetInt32());

        var schema = await JsonAsync(await Client.GetAsync("/v1/schemas?recordType=note"));
        var schemaId = schema.GetProperty("data")[0].GetProperty("id").GetString();
        var put = await Client.PutAsJsonAsync($"/v1/schemas/{schemaId}", new
        {
            displayName = "Note v2",
            fields = new object[] { new { fieldId = "a", fieldType = "string" }, new { fieldId = "b", fieldType = "number" } },
        });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        Assert.Equal(1, (await JsonAsync(await Client.GetAsync($"/v1/records/{Id(first)}"))).GetProperty("schemaVersion").GetInt32());
        var second = await CreateRecordAsync(new { typeName = "note", payload = new { a = "y", b = 2 } });
        Assert.Equal(2, second.GetProperty("schemaVersion").GetInt32());
        var rewritten = await JsonAsync(await Client.PutAsJsonAsync($"/v1/records/{Id(first)}", new { payload = new { a = "z" } }));
        Assert.Equal(2, rewritten.GetProperty("schemaVersion").GetInt32());
    }

    [Fact]
    public async Task Ownership_fields_and_folders()
    {
        await CreateBareSchemaAsync("note");
        var folder = await InsertFolderAsync();
        var (user, org, client) = (Guid.NewGuid(), await CreateOrgAsync(), await CreateClientAsync());
        var created = await CreateRecordAsync(new { typeName = "note", folderId = folder, userId = user, orgId = org, clientId = client });
        Assert.Equal(folder.ToString(), created.GetProperty("folderId").GetString());
        Assert.Equal(user.ToString(), created.GetProperty("userId").GetString());
        Assert.Equal(org.ToString(), created.GetProperty("orgId").GetString());
        Assert.Equal(client.ToString(), created.GetProperty("clientId").GetString());

        // A folder must exist in this context; nothing is written otherwise.
        var before = await CountRowsAsync();
        var missing = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "note", folderId = Guid.NewGuid() }), HttpStatusCode.BadRequest);
        Assert.Equal("folderId", missing.GetProperty("details").GetProperty("field").GetString());
        var elsewhere = await InsertFolderAsync(contextId: "other-ctx");
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "note", folderId = elsewhere }), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{Id(created)}", new { folderId = Guid.NewGuid() }), HttpStatusCode.BadRequest);
        Assert.Equal(before, await CountRowsAsync());

        var bad = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "note", userId = "not-a-uuid" }), HttpStatusCode.BadRequest);
        Assert.Equal("userId", bad.GetProperty("details").GetProperty("field").GetString());
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "note", status = "" }), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "note", externalId = new string('x', 257) }), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/records", new { typeName = "note", externalId = new string('x', 256) })).StatusCode);
    }

    [Fact]
    public async Task Versions_record_every_write_and_audit_off_stops_them_but_keeps_tombstones()
    {
        await PatientSchemaAsync();
        var id = Id(await CreateRecordAsync(new { typeName = "patient", payload = new { name = "Ann", age = 1 } }));
        await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { name = "Bo", age = 1 } });
        await PatchAsync(Client, $"/v1/records/{id}", new { status = "ARCHIVED" });

        var page = await ExpectAsync(await Client.GetAsync($"/v1/records/{id}/versions"), HttpStatusCode.OK);
        var data = page.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["UPDATE", "UPDATE", "CREATE"], data.Select(v => v.GetProperty("changeType").GetString()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        var put = data[1];
        Assert.Equal(1, put.GetProperty("previousVersion").GetInt64());
        Assert.Equal(["payload.name"], put.GetProperty("changedFields").GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        var previous = JsonDocument.Parse(put.GetProperty("previousContent").GetString()!).RootElement;
        Assert.Equal("Ann", previous.GetProperty("payload").GetProperty("name").GetString());
        Assert.Equal(Partner.TestKey.KeyId, put.GetProperty("changedBy").GetString());
        Assert.Equal(["status"], data[0].GetProperty("changedFields").GetProperty("fields").EnumerateArray().Select(f => f.GetString()));

        await Client.DeleteAsync($"/v1/records/{id}");
        var afterDelete = await ExpectAsync(await Client.GetAsync($"/v1/records/{id}/versions"), HttpStatusCode.OK);
        Assert.Equal("DELETE", afterDelete.GetProperty("data")[0].GetProperty("changeType").GetString());

        await CreateSchemaAsync(new { typeName = "quiet", displayName = "Quiet", capabilities = new { auditHistory = false } });
        var before = await CountRowsAsync();
        var quiet = Id(await CreateRecordAsync(new { typeName = "quiet", payload = new { a = 1 } }));
        await Client.PutAsJsonAsync($"/v1/records/{quiet}", new { payload = new { a = 2 } });
        var conflict = await ExpectAsync(await Client.GetAsync($"/v1/records/{quiet}/versions"), HttpStatusCode.Conflict);
        Assert.Equal("AUDIT_HISTORY_DISABLED", conflict.GetProperty("errorCode").GetString());
        await ExpectAsync(await Client.DeleteAsync($"/v1/records/{quiet}"), HttpStatusCode.NoContent);
        var after = await CountRowsAsync();
        Assert.Equal(before.Versions, after.Versions);
        Assert.Equal(before.Tombstones + 1, after.Tombstones);
        await ExpectAsync(await Client.GetAsync($"/v1/records/{quiet}/tombstone"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Version_history_chains_verify()
    {
        await PatientSchemaAsync();
        var id = Id(await CreateRecordAsync(new { typeName = "patient", payload = new { name = "Ann" } }));
        for (var i = 0; i < 3; i++)
        {
            await PatchAsync(Client, $"/v1/records/{id}", new { payload = new { age = i } });
        }

        await Client.DeleteAsync($"/v1/records/{id}");
        var breaks = await Vectros.Grains.History.VersionHistory.VerifyAsync(Db, CancellationToken.None);
        Assert.DoesNotContain(breaks, b => b.TenantId == Partner.TestTenantId);
        Assert.Equal(5, (await CountRowsAsync()).Versions);
    }

    [Fact]
    public async Task Reserved_batch_endpoints_answer_501()
    {
        foreach (var path in new[] { "/v1/records/batch-get", "/v1/records/lookup/batch", "/v1/records/batch" })
        {
            var body = await ExpectAsync(await Client.PostAsJsonAsync(path, new { }), HttpStatusCode.NotImplemented);
            Assert.Equal("NOT_IMPLEMENTED", body.GetProperty("errorCode").GetString());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("requestId").GetString()));
        }
    }

    [Fact]
    public async Task Grain_reads_are_served_from_the_activation()
    {
        await CreateBareSchemaAsync("note");
        var id = Id(await CreateRecordAsync(new { typeName = "note", payload = new { a = 1 } }));
        var caller = new Vectros.Grains.Abstractions.Access.CallerContext(Partner.TestTenantId, "default", Partner.TestKey.KeyId, true, []);
        var grain = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Orleans.IGrainFactory>(Server.Services).GetGrain<IRecordGrain>(caller.KeyFor(id));
        var first = await grain.GetAsync(caller);
        var second = await grain.GetAsync(caller);
        Assert.Same(first, second);
        Assert.Equal(1, first.Payload.GetProperty("a").GetInt32());
    }
}
