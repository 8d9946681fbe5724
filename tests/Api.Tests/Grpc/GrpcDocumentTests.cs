using System.Net;
using System.Net.Http.Json;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Npgsql;
using Vectros.TestSupport;
using Vectros.V1;
using Xunit;

namespace Vectros.Api.Tests.Grpc;

/// <summary>
/// Documents over gRPC (issue #12 items 1, 2, 5): the same grains, readers and scopes as <c>/v1/documents</c>; a file
/// sent as bytes goes the way of an HTTP upload (ticket, then the grain stores the bytes and queues indexing).
/// </summary>
public sealed class GrpcDocumentTests : GrpcTestBase
{
    private Documents.DocumentsClient DocumentsClient => new(Channel);

    [Fact]
    public async Task Text_ingest_is_indexed_read_alike_over_both_doors_and_deleted()
    {
        var created = await DocumentsClient.IngestDocumentAsync(new IngestDocumentRequest
        {
            Title = "Onboarding",
            Text = "Bring your passport on day one.",
            IndexMode = IndexMode.Hybrid,
            ExternalId = "doc-1",
            Payload = Struct.Parser.ParseJson("""{"team":"ops"}"""),
        });
        Assert.True(created.Created);
        Assert.Equal(1, created.Version);
        Assert.Equal(LifecycleStatus.Active, created.Status);
        Assert.Equal(IndexMode.Hybrid, created.IndexMode);
        Assert.Equal(Encoding.UTF8.GetByteCount("Bring your passport on day one."), created.TextBytes);
        Assert.Equal(7, Guid.Parse(created.Id).Version);

        var status = await IndexedAsync(created.Id);
        Assert.Null(status.IndexFailure);
        Assert.Equal(LifecycleStatus.Active, status.Status);

        var got = await DocumentsClient.GetDocumentAsync(new GetDocumentRequest { Id = created.Id });
        Assert.False(got.Created);
        Assert.Equal(IndexStatus.Indexed, got.IndexStatus);
        Assert.Equal("ops", got.Payload.Fields["team"].StringValue);
        Assert.Equal("doc-1", got.ExternalId);

        // One store behind both front doors.
        var http = await JsonAsync(await Client.GetAsync($"/v1/documents/{created.Id}"));
        Assert.Equal("Onboarding", http.GetProperty("title").GetString());
        Assert.Equal("INDEXED", http.GetProperty("indexStatus").GetString());
        Assert.Equal(got.Version, http.GetProperty("version").GetInt64());
        Assert.Equal(got.TextBytes, http.GetProperty("textBytes").GetInt64());

        var text = await DocumentsClient.GetDocumentTextAsync(new GetDocumentRequest { Id = created.Id });
        Assert.Equal("Bring your passport on day one.", text.Text);

        // An existing externalId answers that document (not created); upsert would also need documents:u, which root has.
        var again = await DocumentsClient.IngestDocumentAsync(new IngestDocumentRequest { Title = "Other", Text = "x", ExternalId = "doc-1", IndexMode = IndexMode.Text });
        Assert.False(again.Created);
        Assert.Equal(created.Id, again.Id);

        var list = await DocumentsClient.ListDocumentsAsync(new ListDocumentsRequest { Limit = 10 });
        Assert.Equal(created.Id, Assert.Single(list.Data).Id);
        Assert.False(list.HasNextCursor);

        await DocumentsClient.DeleteDocumentAsync(new DeleteDocumentRequest { Id = created.Id });
        var gone = await FailsAsync(DocumentsClient.GetDocumentAsync(new GetDocumentRequest { Id = created.Id }));
        Assert.Equal(StatusCode.NotFound, gone.Code);
        Assert.Equal("NOT_FOUND", gone.ErrorCode);
        Assert.Equal(StatusCode.NotFound, (await FailsAsync(DocumentsClient.GetDocumentStatusAsync(new GetDocumentRequest { Id = created.Id }))).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/documents/{created.Id}")).StatusCode);
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM document_tombstones WHERE tenant_id = $1", Partner.TestTenantId));
    }

    [Fact]
    public async Task File_ingest_stores_the_bytes_like_an_upload_and_the_http_download_returns_them()
    {
        var bytes = Encoding.UTF8.GetBytes("Quarterly figures: revenue grew in every region.");
        var ingested = await DocumentsClient.IngestFileAsync(new IngestFileRequest
        {
            FileName = "q3.txt",
            FileType = "text/plain",
            Content = ByteString.CopyFrom(bytes),
            IndexMode = IndexMode.Hybrid,
            ExternalId = "file-1",
        });
        Assert.True(ingested.Created);
        Assert.Equal("file-1", ingested.ExternalId);
        Assert.Equal(bytes.Length, ingested.FileSize);
        Assert.Equal(IndexStatus.Uploaded, ingested.IndexStatus);

        await IndexedAsync(ingested.Id);
        var document = await DocumentsClient.GetDocumentAsync(new GetDocumentRequest { Id = ingested.Id });
        Assert.Equal("q3.txt", document.Title);
        Assert.Equal("text/plain", document.FileType);
        Assert.Equal(bytes.Length, document.FileSize);
        Assert.Equal(2, document.Version); // started, then the bytes recorded: as an HTTP upload and PUT
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM upload_tickets WHERE document_id = $1 AND used_at IS NOT NULL", Guid.Parse(ingested.Id)));

        var download = await JsonAsync(await Client.GetAsync($"/v1/documents/{ingested.Id}/download"));
        using var anonymous = Server.CreateClient();
        var file = await anonymous.GetAsync(download.GetProperty("downloadUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(bytes, await file.Content.ReadAsByteArrayAsync());

        // Re-ingest by externalId replaces the file of the same document.
        var replaced = await DocumentsClient.IngestFileAsync(new IngestFileRequest
        {
            FileName = "q3.txt",
            FileType = "text/plain",
            Content = ByteString.CopyFromUtf8("Revised figures."),
            IndexMode = IndexMode.Hybrid,
            ExternalId = "file-1",
        });
        Assert.False(replaced.Created);
        Assert.Equal(ingested.Id, replaced.Id);
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM documents WHERE tenant_id = $1", Partner.TestTenantId));
    }

    [Fact]
    public async Task A_file_larger_than_the_server_wide_message_bound_is_taken_up_to_the_upload_limit()
    {
        // Above the 4 MiB default of other services: documents take files up to Vectros:Documents:MaxFileBytes.
        var bytes = new byte[(5 << 20) + 17];
        Array.Fill(bytes, (byte)'a');
        var ingested = await DocumentsClient.IngestFileAsync(new IngestFileRequest
        {
            FileName = "big.txt",
            FileType = "text/plain",
            Content = ByteString.CopyFrom(bytes),
            IndexMode = IndexMode.None,
        });
        Assert.Equal(bytes.Length, ingested.FileSize);
        var http = await JsonAsync(await Client.GetAsync($"/v1/documents/{ingested.Id}"));
        Assert.Equal(bytes.Length, http.GetProperty("fileSize").GetInt64());
    }

    [Fact]
    public async Task A_file_that_is_not_what_it_claims_reports_failed_with_the_code_http_reports()
    {
        var ingested = await DocumentsClient.IngestFileAsync(new IngestFileRequest
        {
            FileName = "scan.pdf",
            FileType = "application/pdf",
            Content = ByteString.CopyFromUtf8("not a pdf at all"),
            IndexMode = IndexMode.Hybrid,
        });

        DocumentStatus status = null!;
        await Poll.UntilAsync(async () =>
        {
            status = await DocumentsClient.GetDocumentStatusAsync(new GetDocumentRequest { Id = ingested.Id });
            return status.IndexStatus == IndexStatus.Failed;
        }, "the file failed");
        Assert.Equal("TEXT_INDEX_FAILED", status.IndexFailure.Code);
        var http = await JsonAsync(await Client.GetAsync($"/v1/documents/{ingested.Id}"));
        Assert.Equal("FAILED", http.GetProperty("indexStatus").GetString());
        Assert.Equal(status.IndexFailure.Code, http.GetProperty("indexFailure").GetProperty("code").GetString());
        Assert.Equal(status.IndexFailure.Message, http.GetProperty("indexFailure").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Validation_failures_are_invalid_argument_with_the_field_and_write_nothing()
    {
        var cases = new (Func<Task<object>> Call, string Field)[]
        {
            (async () => await DocumentsClient.IngestDocumentAsync(new IngestDocumentRequest { Text = "no title" }), "title"),
            (async () => await DocumentsClient.IngestDocumentAsync(new IngestDocumentRequest { Title = "t" }), "text"),
            (async () => await DocumentsClient.IngestDocumentAsync(new IngestDocumentRequest { Title = "t", Text = "x", FolderId = "not-a-uuid" }), "folder_id"),
            (async () => await DocumentsClient.IngestFileAsync(new IngestFileRequest { FileName = "a.txt", Content = ByteString.CopyFromUtf8("x") }), "file_type"),
            (async () => await DocumentsClient.IngestFileAsync(new IngestFileRequest { FileName = "a.txt", FileType = "not a mime type", Content = ByteString.CopyFromUtf8("x") }), "file_type"),
            (async () => await DocumentsClient.IngestFileAsync(new IngestFileRequest { FileType = "text/plain", Content = ByteString.CopyFromUtf8("x") }), "file_name"),
            (async () => await DocumentsClient.IngestFileAsync(new IngestFileRequest { FileName = "a.txt", FileType = "text/plain" }), "content"),
            (async () => await DocumentsClient.ListDocumentsAsync(new ListDocumentsRequest { Limit = 1000 }), "limit"),
        };
        foreach (var (call, field) in cases)
        {
            var failure = await FailsAsync(call);
            Assert.Equal(StatusCode.InvalidArgument, failure.Code);
            Assert.Equal(field, failure.Field);
        }

        Assert.Equal((0L, 0L, 0L), await RowsAsync(Partner.TestTenantId));
    }

    [Fact]
    public async Task Another_tenants_document_is_not_found_and_untouched()
    {
        var other = await Server.CreatePartnerAsync("grpc-docs-other");
        using var otherChannel = Server.CreateGrpcChannel(other.TestKey.RawKey);
        var theirs = await new Documents.DocumentsClient(otherChannel).IngestDocumentAsync(new IngestDocumentRequest
        {
            Title = "Theirs",
            Text = "private text",
            IndexMode = IndexMode.None,
        });

        var missing = await FailsAsync(DocumentsClient.GetDocumentAsync(new GetDocumentRequest { Id = Guid.CreateVersion7().ToString() }));
        Assert.Equal(StatusCode.NotFound, missing.Code);
        var request = new GetDocumentRequest { Id = theirs.Id };
        foreach (var call in new Func<Task<object>>[]
        {
            async () => await DocumentsClient.GetDocumentAsync(request),
            async () => await DocumentsClient.GetDocumentStatusAsync(request),
            async () => await DocumentsClient.GetDocumentTextAsync(request),
            async () => await DocumentsClient.GetDocumentVersionsAsync(new GetDocumentVersionsRequest { Id = theirs.Id }),
            async () => await DocumentsClient.UpdateDocumentAsync(new UpdateDocumentRequest { Id = theirs.Id, Title = "mine" }),
            async () => await DocumentsClient.PatchDocumentAsync(new PatchDocumentRequest { Id = theirs.Id, Title = "mine" }),
            async () => await DocumentsClient.DeleteDocumentAsync(new DeleteDocumentRequest { Id = theirs.Id }),
        })
        {
            var failure = await FailsAsync(call);
            Assert.Equal(StatusCode.NotFound, failure.Code);
            Assert.Equal(missing.Message, failure.Message);
        }

        var still = await new Documents.DocumentsClient(otherChannel).GetDocumentAsync(request);
        Assert.Equal(1, still.Version);
        Assert.Equal("Theirs", still.Title);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM document_tombstones WHERE tenant_id = $1", other.TestTenantId));
    }

    [Fact]
    public async Task A_token_without_documents_c_is_denied_ingest_and_writes_nothing()
    {
        var reader = await TokenAsync("documents:r");
        using var readerChannel = Server.CreateGrpcChannel(reader);
        var readerClient = new Documents.DocumentsClient(readerChannel);
        var text = await FailsAsync(readerClient.IngestDocumentAsync(new IngestDocumentRequest { Title = "t", Text = "x", IndexMode = IndexMode.Text }));
        Assert.Equal(StatusCode.PermissionDenied, text.Code);
        var file = await FailsAsync(readerClient.IngestFileAsync(new IngestFileRequest
        {
            FileName = "a.txt",
            FileType = "text/plain",
            Content = ByteString.CopyFromUtf8("x"),
        }));
        Assert.Equal(StatusCode.PermissionDenied, file.Code);

        // ?upsert=true also needs documents:u, over gRPC as over HTTP.
        var creator = await TokenAsync("documents:c");
        using var creatorChannel = Server.CreateGrpcChannel(creator);
        var upsert = await FailsAsync(new Documents.DocumentsClient(creatorChannel).IngestDocumentAsync(
            new IngestDocumentRequest { Title = "t", Text = "x", ExternalId = "e", Upsert = true, IndexMode = IndexMode.Text }));
        Assert.Equal(StatusCode.PermissionDenied, upsert.Code);
        Assert.Equal((0L, 0L, 0L), await RowsAsync(Partner.TestTenantId));

        // The reader still reads: the denial was the action, not the credential.
        var list = await readerClient.ListDocumentsAsync(new ListDocumentsRequest());
        Assert.Empty(list.Data);
    }

    [Fact]
    public async Task Schema_bound_documents_mask_sensitive_values_are_found_by_lookup_and_keep_history()
    {
        await CreateSchemaAsync(new
        {
            typeName = "patient_note",
            displayName = "Patient note",
            allowedSurfaces = new[] { "document" },
            fields = new object[]
            {
                new { fieldId = "author", fieldType = "string", required = true },
                new { fieldId = "mrn", fieldType = "string", sensitive = true },
            },
            lookupFields = new object[] { "author" },
            capabilities = new { auditHistory = true },
            indexMode = "TEXT",
        });
        var created = await DocumentsClient.IngestDocumentAsync(new IngestDocumentRequest
        {
            Title = "Visit",
            Text = "Seen today.",
            TypeName = "patient_note",
            Payload = Struct.Parser.ParseJson("""{"author":"Dr Ode","mrn":"MRN-000123"}"""),
        });
        Assert.Equal("patient_note", created.TypeName);
        Assert.Equal(IndexMode.Text, created.IndexMode);
        Assert.Equal("[redacted]", created.Payload.Fields["mrn"].StringValue);
        var got = await DocumentsClient.GetDocumentAsync(new GetDocumentRequest { Id = created.Id });
        Assert.Equal("[redacted]", got.Payload.Fields["mrn"].StringValue);
        Assert.Equal("Dr Ode", got.Payload.Fields["author"].StringValue);

        var missingRequired = await FailsAsync(DocumentsClient.IngestDocumentAsync(new IngestDocumentRequest
        {
            Title = "Visit",
            Text = "x",
            TypeName = "patient_note",
            Payload = Struct.Parser.ParseJson("""{"mrn":"x"}"""),
        }));
        Assert.Equal(StatusCode.InvalidArgument, missingRequired.Code);
        Assert.Equal("payload.author", missingRequired.Field);

        var found = await DocumentsClient.LookupDocumentsAsync(new LookupDocumentsRequest { Type = "patient_note", Field = "author", Value = "Dr Ode" });
        Assert.Equal(created.Id, Assert.Single(found.Data).Id);
        Assert.Equal("[redacted]", found.Data[0].Payload.Fields["mrn"].StringValue);
        Assert.Empty((await DocumentsClient.LookupDocumentsAsync(new LookupDocumentsRequest { Type = "patient_note", Field = "author", Value = "Nobody" })).Data);
        var noField = await FailsAsync(DocumentsClient.LookupDocumentsAsync(new LookupDocumentsRequest { Type = "patient_note", Value = "x" }));
        Assert.Equal(StatusCode.InvalidArgument, noField.Code);
        Assert.Equal("field", noField.Field);

        var put = await DocumentsClient.UpdateDocumentAsync(new UpdateDocumentRequest
        {
            Id = created.Id,
            Title = "Visit (revised)",
            Payload = Struct.Parser.ParseJson("""{"author":"Dr Ode","mrn":"MRN-000124"}"""),
            ExpectedVersion = 1,
        });
        Assert.Equal(2, put.Version);
        Assert.Equal("Visit (revised)", put.Title);
        var conflict = await FailsAsync(DocumentsClient.PatchDocumentAsync(new PatchDocumentRequest { Id = created.Id, Title = "x", ExpectedVersion = 1 }));
        Assert.Equal(StatusCode.Aborted, conflict.Code);
        Assert.Equal("VERSION_CONFLICT", conflict.ErrorCode);
        var patched = await DocumentsClient.PatchDocumentAsync(new PatchDocumentRequest
        {
            Id = created.Id,
            Payload = Struct.Parser.ParseJson("""{"mrn":null}"""),
            Status = LifecycleStatus.Archived,
        });
        Assert.Equal(3, patched.Version);
        Assert.False(patched.Payload.Fields.ContainsKey("mrn"), "a null member of a merge patch removes the field");
        Assert.Equal(LifecycleStatus.Archived, patched.Status);

        var versions = await DocumentsClient.GetDocumentVersionsAsync(new GetDocumentVersionsRequest { Id = created.Id });
        Assert.Equal(3, versions.Data.Count);
        Assert.Contains(versions.Data, v => v.ChangeType == "CREATE");
        Assert.Equal(3, (await JsonAsync(await Client.GetAsync($"/v1/documents/{created.Id}/versions"))).GetProperty("data").GetArrayLength());
        // History keeps prior snapshots with sensitive values destroyed, over gRPC as over HTTP.
        Assert.All(versions.Data, v => Assert.DoesNotContain("MRN-00012", v.PreviousContent ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_pages_with_cursors_bound_to_their_query()
    {
        for (var i = 0; i < 3; i++)
        {
            await DocumentsClient.IngestDocumentAsync(new IngestDocumentRequest { Title = $"N{i}", Text = "t", IndexMode = IndexMode.None });
        }

        var first = await DocumentsClient.ListDocumentsAsync(new ListDocumentsRequest { Limit = 2 });
        Assert.Equal(2, first.Data.Count);
        Assert.True(first.HasNextCursor);
        var rest = await DocumentsClient.ListDocumentsAsync(new ListDocumentsRequest { Limit = 2, StartFrom = first.NextCursor });
        Assert.Single(rest.Data);
        Assert.False(rest.HasNextCursor);
        Assert.Equal(3, first.Data.Concat(rest.Data).Select(d => d.Id).Distinct().Count());

        var replay = await FailsAsync(DocumentsClient.ListDocumentsAsync(new ListDocumentsRequest { Limit = 3, StartFrom = first.NextCursor }));
        Assert.Equal(StatusCode.InvalidArgument, replay.Code);
        Assert.Equal("start_from", replay.Field);
    }

    /// <summary>Polls the status call until the document reads INDEXED (the test server indexes in the background).</summary>
    private async Task<DocumentStatus> IndexedAsync(string id)
    {
        DocumentStatus status = null!;
        await Poll.UntilAsync(async () =>
        {
            status = await DocumentsClient.GetDocumentStatusAsync(new GetDocumentRequest { Id = id });
            Assert.NotEqual(IndexStatus.Failed, status.IndexStatus);
            return status.IndexStatus == IndexStatus.Indexed;
        }, $"document {id} indexed");
        return status;
    }

    private async Task<string> TokenAsync(params string[] actions)
    {
        var mint = await Client.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = actions } });
        Assert.True(mint.IsSuccessStatusCode, await mint.Content.ReadAsStringAsync());
        return (await JsonAsync(mint)).GetProperty("token").GetString()!;
    }

    private async Task<(long Documents, long Tickets, long Blobs)> RowsAsync(string tenantId) => (
        await ScalarAsync("SELECT count(*) FROM documents WHERE tenant_id = $1", tenantId),
        await ScalarAsync("SELECT count(*) FROM upload_tickets WHERE tenant_id = $1", tenantId),
        await ScalarAsync("SELECT count(*) FROM blobs WHERE tenant_id = $1", tenantId));

    private async Task<long> ScalarAsync(string sql, params object[] args)
    {
        await using var cmd = Db.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
