using System.Net.Http.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Vectros.V1;
using Xunit;

namespace Vectros.Api.Tests.Grpc;

/// <summary>Schemas over gRPC (issue #12 item 1): the same reader, rules, scopes and grains as <c>/v1/schemas</c>.</summary>
public sealed class GrpcSchemaTests : GrpcTestBase
{
    private Schemas.SchemasClient SchemasClient => new(Channel);

    private static SchemaFields Patient() => new()
    {
        TypeName = "patient",
        DisplayName = "Patient",
        Fields =
        {
            new FieldDef { FieldId = "name", FieldType = "string", Required = true, Validation = Struct.Parser.ParseJson("""{"maxLength":50}""") },
            new FieldDef { FieldId = "blood", FieldType = "enum", EnumValues = ListValue.Parser.ParseJson("""["A","B","O"]""") },
            new FieldDef { FieldId = "ssn", FieldType = "string", Sensitive = true },
        },
        LookupFields = { new LookupDef { FieldName = "name", Unique = true } },
        Capabilities = { ["auditHistory"] = true },
        IndexMode = IndexMode.None,
        StorageProfile = StorageProfile.LowLatency,
    };

    [Fact]
    public async Task Create_get_update_list_versions_delete_round_trip_and_match_http()
    {
        var created = await SchemasClient.CreateSchemaAsync(new CreateSchemaRequest { Schema = Patient() });
        Assert.True(created.Created);
        Assert.Equal(1, created.SchemaVersion);
        Assert.Equal(3, created.Fields.Count);
        Assert.Equal(50, created.Fields[0].Validation.Fields["maxLength"].NumberValue);
        Assert.True(created.Fields[0].Required);
        Assert.Equal(["A", "B", "O"], created.Fields[1].EnumValues.Values.Select(v => v.StringValue));
        Assert.Equal("name", Assert.Single(created.LookupFields).FieldName);
        Assert.Equal(IndexMode.None, created.IndexMode);
        Assert.Equal(StorageProfile.LowLatency, created.StorageProfile);
        Assert.Equal(["record"], created.AllowedSurfaces);

        // The HTTP API reads the same schema; records validate against it.
        var http = await JsonAsync(await Client.GetAsync($"/v1/schemas/{created.Id}"));
        Assert.Equal("patient", http.GetProperty("typeName").GetString());
        Assert.Equal(50, http.GetProperty("fields")[0].GetProperty("validation").GetProperty("maxLength").GetInt32());
        Assert.Equal("LOW_LATENCY", http.GetProperty("storageProfile").GetString());
        Assert.True(http.GetProperty("lookupFields")[0].GetProperty("unique").GetBoolean());
        var tooLong = await Client.PostAsJsonAsync("/v1/records", new { typeName = "patient", payload = new { name = new string('x', 51) } });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, tooLong.StatusCode);

        var got = await SchemasClient.GetSchemaAsync(new GetSchemaRequest { Id = created.Id });
        Assert.False(got.Created);
        Assert.Equal(created.Fields, got.Fields);

        // PUT is partial: unset members stay, a sent list replaces whole.
        var fields = Patient().Fields;
        fields.Add(new FieldDef { FieldId = "age", FieldType = "number" });
        var updated = await SchemasClient.UpdateSchemaAsync(new UpdateSchemaRequest
        {
            Id = created.Id,
            Schema = new SchemaFields { DisplayName = "Patient v2", Fields = { fields } },
        });
        Assert.Equal(2, updated.SchemaVersion);
        Assert.Equal("Patient v2", updated.DisplayName);
        Assert.Equal(4, updated.Fields.Count);
        Assert.Equal(StorageProfile.LowLatency, updated.StorageProfile);

        var upsert = await SchemasClient.CreateSchemaAsync(new CreateSchemaRequest { Schema = Patient(), Upsert = true });
        Assert.False(upsert.Created);
        Assert.Equal(created.Id, upsert.Id);

        var list = await SchemasClient.ListSchemasAsync(new ListSchemasRequest());
        Assert.Contains(list.Data, s => s.Id == created.Id);
        var resolved = await SchemasClient.ListSchemasAsync(new ListSchemasRequest { RecordType = "patient" });
        Assert.Equal(created.Id, Assert.Single(resolved.Data).Id);
        var impossible = await SchemasClient.ListSchemasAsync(new ListSchemasRequest { RecordType = "no such type!" });
        Assert.Empty(impossible.Data);

        await SchemasClient.DeleteSchemaAsync(new DeleteSchemaRequest { Id = created.Id });
        var gone = await FailsAsync(SchemasClient.GetSchemaAsync(new GetSchemaRequest { Id = created.Id }));
        Assert.Equal(StatusCode.NotFound, gone.Code);

        // History outlives the schema and ends with its DELETE, as over HTTP.
        var versions = await SchemasClient.GetSchemaVersionsAsync(new GetSchemaVersionsRequest { Id = created.Id });
        Assert.Contains(versions.Data, v => v.ChangeType == "CREATE");
        Assert.Contains(versions.Data, v => v.ChangeType == "DELETE");
        var httpVersions = await JsonAsync(await Client.GetAsync($"/v1/schemas/{created.Id}/versions"));
        Assert.Equal(httpVersions.GetProperty("data").GetArrayLength(), versions.Data.Count);
    }

    [Fact]
    public async Task Validation_failures_are_invalid_argument_with_the_field_and_write_nothing()
    {
        var badName = await FailsAsync(SchemasClient.CreateSchemaAsync(new CreateSchemaRequest
        {
            Schema = new SchemaFields { TypeName = "9lives", DisplayName = "Bad" },
        }));
        Assert.Equal(StatusCode.InvalidArgument, badName.Code);
        Assert.Equal("type_name", badName.Field);

        var badType = Patient();
        badType.Fields[1].FieldType = "quaternion";
        var fieldType = await FailsAsync(SchemasClient.CreateSchemaAsync(new CreateSchemaRequest { Schema = badType }));
        Assert.Equal(StatusCode.InvalidArgument, fieldType.Code);
        Assert.StartsWith("fields[1]", fieldType.Field);

        var badOwner = Patient();
        badOwner.UserId = "not-a-uuid";
        var owner = await FailsAsync(SchemasClient.CreateSchemaAsync(new CreateSchemaRequest { Schema = badOwner }));
        Assert.Equal(StatusCode.InvalidArgument, owner.Code);
        Assert.Equal("user_id", owner.Field);

        Assert.Empty((await SchemasClient.ListSchemasAsync(new ListSchemasRequest())).Data);
        Assert.Equal(0, (await JsonAsync(await Client.GetAsync("/v1/schemas"))).GetProperty("data").GetArrayLength());

        // An update refused by the rules leaves the schema as it was.
        var created = await SchemasClient.CreateSchemaAsync(new CreateSchemaRequest { Schema = Patient() });
        var refused = await FailsAsync(SchemasClient.UpdateSchemaAsync(new UpdateSchemaRequest
        {
            Id = created.Id,
            Schema = new SchemaFields { Fields = { new FieldDef { FieldId = "x", FieldType = "quaternion" } } },
        }));
        Assert.Equal(StatusCode.InvalidArgument, refused.Code);
        Assert.Equal(1, (await SchemasClient.GetSchemaAsync(new GetSchemaRequest { Id = created.Id })).SchemaVersion);
    }

    [Fact]
    public async Task Another_tenants_schema_is_not_found_and_untouched()
    {
        var other = await Server.CreatePartnerAsync("grpc-schema-other");
        using var otherChannel = Server.CreateGrpcChannel(other.TestKey.RawKey);
        var theirsClient = new Schemas.SchemasClient(otherChannel);
        var theirs = await theirsClient.CreateSchemaAsync(new CreateSchemaRequest { Schema = Patient() });

        var missing = await FailsAsync(SchemasClient.GetSchemaAsync(new GetSchemaRequest { Id = Guid.CreateVersion7().ToString() }));
        Assert.Equal(StatusCode.NotFound, missing.Code);
        var get = await FailsAsync(SchemasClient.GetSchemaAsync(new GetSchemaRequest { Id = theirs.Id }));
        Assert.Equal(StatusCode.NotFound, get.Code);
        Assert.Equal(missing.Message, get.Message);
        var update = await FailsAsync(SchemasClient.UpdateSchemaAsync(new UpdateSchemaRequest { Id = theirs.Id, Schema = new SchemaFields { DisplayName = "Mine" } }));
        Assert.Equal(StatusCode.NotFound, update.Code);
        var delete = await FailsAsync(SchemasClient.DeleteSchemaAsync(new DeleteSchemaRequest { Id = theirs.Id }));
        Assert.Equal(StatusCode.NotFound, delete.Code);
        var versions = await FailsAsync(SchemasClient.GetSchemaVersionsAsync(new GetSchemaVersionsRequest { Id = theirs.Id }));
        Assert.Equal(StatusCode.NotFound, versions.Code);

        var still = await theirsClient.GetSchemaAsync(new GetSchemaRequest { Id = theirs.Id });
        Assert.Equal(1, still.SchemaVersion);
        Assert.Equal("Patient", still.DisplayName);
    }

    [Fact]
    public async Task A_scoped_token_lacking_the_scope_is_permission_denied()
    {
        var created = await SchemasClient.CreateSchemaAsync(new CreateSchemaRequest { Schema = Patient() });
        using var reader = Server.CreateGrpcChannel(await TokenAsync("schemas:r"));
        var readOnly = new Schemas.SchemasClient(reader);
        Assert.Equal("Patient", (await readOnly.GetSchemaAsync(new GetSchemaRequest { Id = created.Id })).DisplayName);

        var create = await FailsAsync(readOnly.CreateSchemaAsync(new CreateSchemaRequest { Schema = new SchemaFields { TypeName = "note", DisplayName = "Note" } }));
        Assert.Equal(StatusCode.PermissionDenied, create.Code);
        var update = await FailsAsync(readOnly.UpdateSchemaAsync(new UpdateSchemaRequest { Id = created.Id, Schema = new SchemaFields { DisplayName = "Mine" } }));
        Assert.Equal(StatusCode.PermissionDenied, update.Code);
        var delete = await FailsAsync(readOnly.DeleteSchemaAsync(new DeleteSchemaRequest { Id = created.Id }));
        Assert.Equal(StatusCode.PermissionDenied, delete.Code);

        // Upsert overwrites, so schemas:c alone is not enough.
        using var creator = Server.CreateGrpcChannel(await TokenAsync("schemas:c"));
        var upsert = await FailsAsync(new Schemas.SchemasClient(creator).CreateSchemaAsync(new CreateSchemaRequest
        {
            Schema = new SchemaFields { TypeName = "patient", DisplayName = "Mine" },
            Upsert = true,
        }));
        Assert.Equal(StatusCode.PermissionDenied, upsert.Code);

        var kept = await SchemasClient.GetSchemaAsync(new GetSchemaRequest { Id = created.Id });
        Assert.Equal(1, kept.SchemaVersion);
        Assert.Equal("Patient", kept.DisplayName);
        Assert.Single((await SchemasClient.ListSchemasAsync(new ListSchemasRequest())).Data);
    }

    private async Task<string> TokenAsync(params string[] allowedActions)
    {
        var mint = await Client.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions } });
        Assert.True(mint.IsSuccessStatusCode, await mint.Content.ReadAsStringAsync());
        return (await JsonAsync(mint)).GetProperty("token").GetString()!;
    }
}
