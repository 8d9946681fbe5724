using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Vectros.TestSupport;
using Vectros.V1;
using Xunit;

namespace Vectros.Api.Tests.Grpc;

/// <summary>Records over gRPC (issue #12 items 1, 2, 5): the same grains and rules as <c>/v1/records</c>.</summary>
public sealed class GrpcRecordTests : GrpcTestBase
{
    private Records.RecordsClient RecordsClient => new(Channel);

    private async Task PatientSchemaAsync() => await CreateSchemaAsync(new
    {
        typeName = "patient",
        displayName = "Patient",
        capabilities = new { auditHistory = true },
        fields = new object[]
        {
            new { fieldId = "name", fieldType = "string", required = true, validation = new { maxLength = 50 } },
            new { fieldId = "age", fieldType = "number" },
            new { fieldId = "ssn", fieldType = "string", sensitive = true },
        },
        lookupFields = new object[] { "name" },
    });

    private static Struct Payload(string json) => Struct.Parser.ParseJson(json);

    [Fact]
    public async Task Create_get_put_patch_delete_round_trip_and_match_http()
    {
        await PatientSchemaAsync();
        var created = await RecordsClient.CreateRecordAsync(new CreateRecordRequest
        {
            Record = new RecordFields { TypeName = "patient", ExternalId = "p-1", Payload = Payload("""{"name":"Ada","age":36}""") },
        });
        Assert.True(created.Created);
        Assert.Equal(1, created.Version);
        Assert.Equal(LifecycleStatus.Active, created.Status);
        Assert.Equal(IndexMode.None, created.IndexMode);
        Assert.Equal(Partner.TestKey.KeyId, created.CreatedBy);
        Assert.Equal("Ada", created.Payload.Fields["name"].StringValue);
        Assert.Equal(7, Guid.Parse(created.Id).Version);

        // The HTTP API sees the same record: one store behind both front doors.
        var http = await JsonAsync(await Client.GetAsync($"/v1/records/{created.Id}"));
        Assert.Equal("Ada", http.GetProperty("payload").GetProperty("name").GetString());
        Assert.Equal(created.Version, http.GetProperty("version").GetInt64());

        var got = await RecordsClient.GetRecordAsync(new GetRecordRequest { Id = created.Id });
        Assert.False(got.Created);
        Assert.Equal(created.Payload, got.Payload);

        var put = await RecordsClient.UpdateRecordAsync(new UpdateRecordRequest
        {
            Id = created.Id,
            Record = new RecordFields { Payload = Payload("""{"name":"Ada L","age":37}"""), ExpectedVersion = 1 },
        });
        Assert.Equal(2, put.Version);

        var patched = await RecordsClient.PatchRecordAsync(new PatchRecordRequest
        {
            Id = created.Id,
            Payload = Payload("""{"age":null}"""),
            Status = LifecycleStatus.Archived,
        });
        Assert.Equal(3, patched.Version);
        Assert.False(patched.Payload.Fields.ContainsKey("age"), "a null member of a merge patch removes the field");
        Assert.Equal("Ada L", patched.Payload.Fields["name"].StringValue);
        Assert.Equal(LifecycleStatus.Archived, patched.Status);

        var versions = await RecordsClient.GetRecordVersionsAsync(new GetRecordVersionsRequest { Id = created.Id });
        Assert.Equal(3, versions.Data.Count);
        Assert.Contains(versions.Data, v => v.ChangeType == "CREATE");

        await RecordsClient.DeleteRecordAsync(new DeleteRecordRequest { Id = created.Id });
        var gone = await FailsAsync(RecordsClient.GetRecordAsync(new GetRecordRequest { Id = created.Id }));
        Assert.Equal(StatusCode.NotFound, gone.Code);
        Assert.Equal("NOT_FOUND", gone.ErrorCode);
        var tombstone = await RecordsClient.GetRecordTombstoneAsync(new GetRecordRequest { Id = created.Id });
        Assert.Equal(created.Id, tombstone.Id);
    }

    [Fact]
    public async Task Version_conflict_is_aborted_and_writes_nothing()
    {
        await PatientSchemaAsync();
        var created = await RecordsClient.CreateRecordAsync(new CreateRecordRequest
        {
            Record = new RecordFields { TypeName = "patient", Payload = Payload("""{"name":"Bo"}""") },
        });
        var failure = await FailsAsync(RecordsClient.UpdateRecordAsync(new UpdateRecordRequest
        {
            Id = created.Id,
            Record = new RecordFields { Payload = Payload("""{"name":"Bob"}"""), ExpectedVersion = 7 },
        }));
        Assert.Equal(StatusCode.Aborted, failure.Code);
        Assert.Equal("VERSION_CONFLICT", failure.ErrorCode);
        Assert.False(string.IsNullOrEmpty(failure.RequestId));
        Assert.Equal(1, (await RecordsClient.GetRecordAsync(new GetRecordRequest { Id = created.Id })).Version);
    }

    [Fact]
    public async Task Validation_failures_are_invalid_argument_with_the_field_and_write_nothing()
    {
        await PatientSchemaAsync();
        var missing = await FailsAsync(RecordsClient.CreateRecordAsync(new CreateRecordRequest
        {
            Record = new RecordFields { TypeName = "patient", Payload = Payload("""{"age":3}""") },
        }));
        Assert.Equal(StatusCode.InvalidArgument, missing.Code);
        Assert.Equal("payload.name", missing.Field);

        var badId = await FailsAsync(RecordsClient.CreateRecordAsync(new CreateRecordRequest
        {
            Record = new RecordFields { TypeName = "patient", FolderId = "not-a-uuid", Payload = Payload("""{"name":"x"}""") },
        }));
        Assert.Equal(StatusCode.InvalidArgument, badId.Code);
        Assert.Equal("folder_id", badId.Field);

        var badLimit = await FailsAsync(RecordsClient.ListRecordsAsync(new ListRecordsRequest { Type = "patient", Limit = 1000 }));
        Assert.Equal(StatusCode.InvalidArgument, badLimit.Code);
        Assert.Equal("limit", badLimit.Field);

        var noMode = await FailsAsync(RecordsClient.ListRecordsAsync(new ListRecordsRequest()));
        Assert.Equal(StatusCode.InvalidArgument, noMode.Code);

        var list = await RecordsClient.ListRecordsAsync(new ListRecordsRequest { Type = "patient" });
        Assert.Empty(list.Data);
    }

    [Fact]
    public async Task List_pages_with_sealed_cursors_and_lookup_finds_by_value()
    {
        await PatientSchemaAsync();
        foreach (var name in new[] { "Ann", "Ben", "Cat", "Dan", "Eve" })
        {
            await RecordsClient.CreateRecordAsync(new CreateRecordRequest
            {
                Record = new RecordFields { TypeName = "patient", Payload = Payload($$"""{"name":"{{name}}"}""") },
            });
        }

        var seen = new List<string>();
        var request = new ListRecordsRequest { Type = "patient", Limit = 2, IncludePayload = true };
        for (var pages = 0; pages < 5; pages++)
        {
            var page = await RecordsClient.ListRecordsAsync(request);
            seen.AddRange(page.Data.Select(r => r.Payload.Fields["name"].StringValue));
            if (!page.HasNextCursor)
            {
                break;
            }

            request.StartFrom = page.NextCursor;
        }

        Assert.Equal(["Ann", "Ben", "Cat", "Dan", "Eve"], seen.Order());

        // A cursor is bound to its query, as over HTTP.
        var first = await RecordsClient.ListRecordsAsync(new ListRecordsRequest { Type = "patient", Limit = 2 });
        var replay = await FailsAsync(RecordsClient.ListRecordsAsync(new ListRecordsRequest { Type = "patient", Limit = 3, StartFrom = first.NextCursor }));
        Assert.Equal(StatusCode.InvalidArgument, replay.Code);
        Assert.Equal("start_from", replay.Field);

        var found = await RecordsClient.LookupRecordsAsync(new LookupRecordsRequest { Type = "patient", Field = "name", Value = "Cat", IncludePayload = true });
        Assert.Equal("Cat", Assert.Single(found.Data).Payload.Fields["name"].StringValue);
        var none = await RecordsClient.LookupRecordsAsync(new LookupRecordsRequest { Type = "patient", Field = "name", Value = "Zed" });
        Assert.Empty(none.Data);
        var prefix = await FailsAsync(RecordsClient.LookupRecordsAsync(new LookupRecordsRequest { Type = "patient", Field = "name", Prefix = "D" }));
        Assert.Equal(StatusCode.InvalidArgument, prefix.Code);
    }

    [Fact]
    public async Task Sensitive_values_are_redacted_for_a_root_key_as_over_http()
    {
        await PatientSchemaAsync();
        var created = await RecordsClient.CreateRecordAsync(new CreateRecordRequest
        {
            Record = new RecordFields { TypeName = "patient", Payload = Payload("""{"name":"Sy","ssn":"123-45-6789"}""") },
        });
        var got = await RecordsClient.GetRecordAsync(new GetRecordRequest { Id = created.Id });
        Assert.Equal("[redacted]", got.Payload.Fields["ssn"].StringValue);
    }

    [Fact]
    public async Task Another_tenants_ids_are_not_found_and_untouched()
    {
        await PatientSchemaAsync();
        var other = await Server.CreatePartnerAsync("grpc-other");
        using var otherHttp = Server.CreateClient(other.TestKey.RawKey);
        var schema = await otherHttp.PostAsJsonAsync("/v1/schemas", new { typeName = "patient", displayName = "P" });
        Assert.Equal(HttpStatusCode.Created, schema.StatusCode);
        using var otherChannel = Server.CreateGrpcChannel(other.TestKey.RawKey);
        var theirs = await new Records.RecordsClient(otherChannel).CreateRecordAsync(new CreateRecordRequest
        {
            Record = new RecordFields { TypeName = "patient", Payload = Payload("""{"name":"theirs"}""") },
        });

        foreach (var call in new Func<Task<Vectros.V1.Record>>[]
        {
            () => RecordsClient.GetRecordAsync(new GetRecordRequest { Id = theirs.Id }).ResponseAsync,
            () => RecordsClient.UpdateRecordAsync(new UpdateRecordRequest { Id = theirs.Id, Record = new RecordFields { Payload = Payload("""{"name":"mine"}""") } }).ResponseAsync,
            () => RecordsClient.PatchRecordAsync(new PatchRecordRequest { Id = theirs.Id, Payload = Payload("""{"name":"mine"}""") }).ResponseAsync,
        })
        {
            var failure = await FailsAsync(call);
            Assert.Equal(StatusCode.NotFound, failure.Code);
        }

        var delete = await FailsAsync(RecordsClient.DeleteRecordAsync(new DeleteRecordRequest { Id = theirs.Id }));
        Assert.Equal(StatusCode.NotFound, delete.Code);
        var missing = await FailsAsync(RecordsClient.GetRecordAsync(new GetRecordRequest { Id = Guid.CreateVersion7().ToString() }));
        Assert.Equal(StatusCode.NotFound, missing.Code);
        Assert.Equal(missing.Message, (await FailsAsync(RecordsClient.GetRecordAsync(new GetRecordRequest { Id = theirs.Id }))).Message);

        var still = await new Records.RecordsClient(otherChannel).GetRecordAsync(new GetRecordRequest { Id = theirs.Id });
        Assert.Equal(1, still.Version);
        Assert.Equal("theirs", still.Payload.Fields["name"].StringValue);
    }
}
