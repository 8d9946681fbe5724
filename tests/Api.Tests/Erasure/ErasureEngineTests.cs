using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.History;
using Xunit;

namespace Vectros.Api.Tests.Erasure;

/// <summary>
/// The erasure engine over real HTTP and PostgreSQL (issue #11 item 8): solely owned rows go with everything hanging off
/// them, shared rows and references are reported and left alone, each context is reported separately, a dry run
/// deletes nothing and certifies the same counts, and a rerun is idempotent.
/// </summary>
public sealed class ErasureEngineTests : ErasureTestBase
{
    [Fact]
    public async Task A_purge_erases_what_the_user_solely_owns_in_every_context_and_reports_the_rest()
    {
        var s = await SeedAsync();
        var strangers = await Server.CreatePartnerAsync("erasure-stranger");
        var foreign = Guid.CreateVersion7();
        await ExecuteAsync(
            "INSERT INTO records (tenant_id, context_id, record_id, type_name, payload, user_id, created_by) VALUES ($1, 'default', $2, 'note', '{}', $3, 'test')",
            strangers.TestTenantId, foreign, s.User);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/v1/records/{s.Solely}")).StatusCode); // cached in its grain now

        // The dry run first: it certifies, and deletes nothing.
        var before = await SnapshotAsync(withRequests: false);
        var dry = await EraseAsync(new { subjectType = "user", subjectId = s.User, auditDisposition = "purge", dryRun = true });
        Assert.True(dry.GetProperty("dryRun").GetBoolean());
        Assert.Equal(before, await SnapshotAsync(withRequests: false));

        var cert = await EraseAsync(new { subjectType = "user", subjectId = s.User, auditDisposition = "purge" });
        Assert.False(cert.GetProperty("dryRun").GetBoolean());
        Assert.Equal(Comparable(dry), Comparable(cert));

        Assert.Equal(["default", SecondContext], cert.GetProperty("contextsSwept").EnumerateArray().Select(c => c.GetString()));
        var first = cert.GetProperty("perContext")[0];
        Assert.Equal("default", first.GetProperty("contextId").GetString());
        Assert.Equal(1, first.GetProperty("recordsDeleted").GetInt64());
        Assert.Equal(2, first.GetProperty("documentsDeleted").GetInt64());
        Assert.Equal(1, first.GetProperty("foldersDeleted").GetInt64());
        Assert.Equal(1, first.GetProperty("identityRowsDeleted").GetInt64());
        var second = cert.GetProperty("perContext")[1];
        Assert.Equal(SecondContext, second.GetProperty("contextId").GetString());
        Assert.Equal(1, second.GetProperty("recordsDeleted").GetInt64());
        Assert.Equal(0, second.GetProperty("identityRowsDeleted").GetInt64());
        Assert.Equal(1, cert.GetProperty("sharedRowsSkipped").GetInt64());   // the record shared with the org
        Assert.Equal(2, cert.GetProperty("danglingReferences").GetInt64());  // V's reference to U's record, V's record in U's folder
        Assert.Equal("purge", cert.GetProperty("auditDisposition").GetString());
        var counts = cert.GetProperty("counts");
        Assert.Equal(2, counts.GetProperty("records").GetInt64());
        Assert.Equal(1, counts.GetProperty("recordLookups").GetInt64());
        Assert.Equal(1, counts.GetProperty("blobs").GetInt64());
        Assert.True(counts.GetProperty("chunks").GetInt64() >= 3, counts.ToString());
        Assert.True(counts.GetProperty("versions").GetInt64() >= 2, counts.ToString());
        Assert.Equal(1, counts.GetProperty("identity").GetInt64());
        Assert.Equal(6, cert.GetProperty("deletedIdCount").GetInt64());
        var ids = new[] { s.Solely, s.TextDocument, s.FileDocument, s.Folder, s.SecondContextRecord, s.User }.Select(i => i.ToString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join('\n', ids.Order(StringComparer.Ordinal))))), cert.GetProperty("deletedIdsSha256").GetString());

        // Gone: rows, lookups, chunks, blobs, history (purged), the identity. Nothing left as a tombstone either.
        Assert.Equal(0, await CountAsync("records", "record_id", s.Solely));
        Assert.Equal(0, await CountAsync("records", "record_id", s.SecondContextRecord));
        Assert.Equal(0, await CountAsync("record_lookups", "record_id", s.Solely));
        Assert.Equal(0, await CountAsync("record_tombstones", "record_id", s.Solely));
        Assert.Equal(0, await CountAsync("documents", "document_id", s.TextDocument));
        Assert.Equal(0, await CountAsync("documents", "document_id", s.FileDocument));
        Assert.Equal(0, await CountAsync("folders", "folder_id", s.Folder));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM chunks WHERE tenant_id = $1 AND source_id = ANY($2)",
            Partner.TestTenantId, new[] { s.Solely, s.TextDocument, s.FileDocument }));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM blobs WHERE tenant_id = $1", Partner.TestTenantId));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM entity_versions WHERE tenant_id = $1 AND entity_id = ANY($2)",
            Partner.TestTenantId, new[] { s.Solely.ToString(), s.TextDocument.ToString(), s.Folder.ToString(), s.User.ToString() }));
        Assert.Equal(0, await CountAsync("users", "user_id", s.User));

        // Kept: shared, other subjects', and the referencing rows (their references now dangle); another tenant's row.
        Assert.Equal(1, await CountAsync("records", "record_id", s.Shared));
        Assert.Equal(1, await CountAsync("records", "record_id", s.OthersRecord));
        Assert.Equal(1, await CountAsync("records", "record_id", s.Referrer));
        Assert.Equal(1, await CountAsync("records", "record_id", s.InFolder));
        Assert.Equal(1, await CountAsync("users", "user_id", s.Other));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM records WHERE tenant_id = $1 AND record_id = $2", strangers.TestTenantId, foreign));

        // No cached activation goes on serving erased rows.
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/records/{s.Solely}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/records/{s.Solely}/tombstone")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/documents/{s.TextDocument}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/users/{s.User}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/v1/records/{s.Shared}")).StatusCode);
    }

    [Fact]
    public async Task Retain_redacted_keeps_the_history_rows_without_their_content_and_the_chains_still_verify()
    {
        var s = await SeedAsync();
        var kept = await ScalarAsync("SELECT count(*) FROM entity_versions WHERE tenant_id = $1 AND entity_id = $2", Partner.TestTenantId, s.Solely.ToString());
        Assert.True(kept >= 2);

        var cert = await EraseAsync(new { subjectType = "user", subjectId = s.User });
        Assert.Equal("retain-redacted", cert.GetProperty("auditDisposition").GetString());
        Assert.Equal(0, await CountAsync("records", "record_id", s.Solely));
        Assert.Equal(kept, await ScalarAsync(
            "SELECT count(*) FROM entity_versions WHERE tenant_id = $1 AND entity_id = $2 AND redacted_at IS NOT NULL AND previous_content IS NULL AND changed_fields IS NULL",
            Partner.TestTenantId, s.Solely.ToString()));
        Assert.Equal(0, await ScalarAsync(
            "SELECT count(*) FROM entity_versions WHERE tenant_id = $1 AND entity_id = $2 AND previous_content::text LIKE '%Erasable%'",
            Partner.TestTenantId, s.Solely.ToString()));
        var breaks = await VersionHistory.VerifyAsync(Db, CancellationToken.None);
        Assert.DoesNotContain(breaks, b => b.TenantId == Partner.TestTenantId);
    }

    [Fact]
    public async Task An_org_subject_takes_its_solely_owned_rows_and_its_entity_and_leaves_rows_shared_with_a_user()
    {
        var s = await SeedAsync();
        var orgOnly = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "note", orgId = s.Org, payload = new { name = "Org note" } })));
        var cert = await EraseAsync(new { subjectType = "org", subjectId = s.Org, contextScope = new[] { "default" }, auditDisposition = "purge" });

        Assert.Equal(["default"], cert.GetProperty("contextsSwept").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(1, cert.GetProperty("perContext")[0].GetProperty("recordsDeleted").GetInt64());
        Assert.Equal(1, cert.GetProperty("perContext")[0].GetProperty("identityRowsDeleted").GetInt64());
        Assert.Equal(1, cert.GetProperty("sharedRowsSkipped").GetInt64());
        Assert.Equal(0, await CountAsync("records", "record_id", orgOnly));
        Assert.Equal(1, await CountAsync("records", "record_id", s.Shared));
        Assert.Equal(1, await CountAsync("records", "record_id", s.Solely));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/orgs/{s.Org}")).StatusCode);
    }

    [Fact]
    public async Task A_subject_of_a_tenants_own_free_form_namespace_is_its_scope_value()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/namespaces",
            new { @namespace = "team", specificityRank = 1500, entityBacked = false })).StatusCode);
        await CreateBareSchemaAsync("memo");
        var solely = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "memo", scopes = new[] { "team:blue" } })));
        var shared = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "memo", scopes = new[] { "team:blue", "project:p-1" } })));
        var otherTeam = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "memo", scopes = new[] { "team:red" } })));

        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsJsonAsync("/v1/erasure-requests", new { subjectType = "team", externalId = "blue" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsJsonAsync("/v1/erasure-requests", new { subjectType = "team", subjectId = "green" })).StatusCode);
        var cert = await EraseAsync(new { subjectType = "team", subjectId = "blue" });
        Assert.Equal("team", cert.GetProperty("subjectType").GetString());
        Assert.Equal(1, cert.GetProperty("perContext")[0].GetProperty("recordsDeleted").GetInt64());
        Assert.Equal(0, cert.GetProperty("perContext")[0].GetProperty("identityRowsDeleted").GetInt64());
        Assert.Equal(1, cert.GetProperty("sharedRowsSkipped").GetInt64());
        Assert.Equal(0, await CountAsync("records", "record_id", solely));
        Assert.Equal(1, await CountAsync("records", "record_id", shared));
        Assert.Equal(1, await CountAsync("records", "record_id", otherTeam));
    }

    [Fact]
    public async Task A_named_context_scope_leaves_other_contexts_alone()
    {
        var s = await SeedAsync();
        var cert = await EraseAsync(new { subjectType = "user", externalId = await ExternalIdAsync(s.User), contextScope = new[] { SecondContext } });
        Assert.Equal([SecondContext], cert.GetProperty("contextsSwept").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(0, await CountAsync("records", "record_id", s.SecondContextRecord));
        Assert.Equal(1, await CountAsync("records", "record_id", s.Solely));
        Assert.Equal(1, await CountAsync("documents", "document_id", s.TextDocument));
    }

    [Fact]
    public async Task A_rerun_after_a_crash_certifies_the_same_erasure()
    {
        var s = await SeedAsync();
        var requestId = await SubmitAsync(new { subjectType = "user", subjectId = s.User, auditDisposition = "purge" });
        var first = (await CompletedAsync(requestId)).GetProperty("certificate");

        // What a crash before completion leaves: the request processing with its plan stored, and its outbox row back.
        await ExecuteAsync("UPDATE erasure_requests SET status = 'processing', certificate = NULL, completed_at = NULL WHERE tenant_id = $1 AND request_id = $2",
            Partner.TestTenantId, requestId);
        await ExecuteAsync("INSERT INTO outbox (kind, tenant_id, payload) VALUES ('erasure.request', $1, jsonb_build_object('requestId', $2::text))",
            Partner.TestTenantId, requestId);
        var again = (await CompletedAsync(requestId)).GetProperty("certificate");
        Assert.Equal(Comparable(first), Comparable(again));
        Assert.Equal(first.GetProperty("startedAt").GetString(), again.GetProperty("startedAt").GetString());
        Assert.Equal(1, await CountAsync("records", "record_id", s.Shared));
    }

    private async Task<string> ExternalIdAsync(Guid user) =>
        (await ExpectAsync(await Client.GetAsync($"/v1/users/{user}"), HttpStatusCode.OK)).GetProperty("externalId").GetString()!;

    /// <summary>The certificate without what differs between two runs of the same erasure (mode, times, signature, id).</summary>
    private static string Comparable(JsonElement certificate)
    {
        var node = JsonNode.Parse(certificate.GetRawText())!.AsObject();
        foreach (var name in new[] { "dryRun", "startedAt", "completedAt", "signature", "requestId" })
        {
            node.Remove(name);
        }

        return node.ToJsonString();
    }
}
