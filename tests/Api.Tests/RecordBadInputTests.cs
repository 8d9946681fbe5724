using System.Net;
using System.Net.Http.Json;
using System.Text;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Bad payloads and bodies: a 400 naming the failing path, and no row of any kind written.</summary>
public sealed class RecordBadInputTests : RecordTestBase
{
    private Task FormSchemaAsync() => CreateSchemaAsync(new
    {
        typeName = "form",
        displayName = "Form",
        capabilities = new { auditHistory = true },
        fields = new object[]
        {
            new { fieldId = "name", fieldType = "string", required = true, validation = new { minLength = 2, maxLength = 10 } },
            new { fieldId = "code", fieldType = "string", validation = new { pattern = "^[A-Z]{3}$" } },
            new { fieldId = "age", fieldType = "number", validation = new { minimum = 0, maximum = 150 } },
            new { fieldId = "ok", fieldType = "boolean" },
            new { fieldId = "born", fieldType = "date" },
            new { fieldId = "colour", fieldType = "enum", enumValues = new object[] { "red", "green" } },
            new { fieldId = "tags", fieldType = "array", validation = new { maxItems = 2 } },
            new { fieldId = "extra", fieldType = "object" },
        },
        lookupFields = new object[] { "name" },
    });

    [Theory]
    [InlineData("""{"age":1}""", "payload.name")]
    [InlineData("""{"name":null}""", "payload.name")]
    [InlineData("""{"name":5}""", "payload.name")]
    [InlineData("""{"name":"x"}""", "payload.name")]
    [InlineData("""{"name":"abcdefghijk"}""", "payload.name")]
    [InlineData("""{"name":"ok","code":"abc"}""", "payload.code")]
    [InlineData("""{"name":"ok","age":"old"}""", "payload.age")]
    [InlineData("""{"name":"ok","age":-1}""", "payload.age")]
    [InlineData("""{"name":"ok","age":151}""", "payload.age")]
    [InlineData("""{"name":"ok","ok":"yes"}""", "payload.ok")]
    [InlineData("""{"name":"ok","born":"1/2/2024"}""", "payload.born")]
    [InlineData("""{"name":"ok","born":"2024-02-30"}""", "payload.born")]
    [InlineData("""{"name":"ok","born":1700000000000}""", "payload.born")]
    [InlineData("""{"name":"ok","colour":"blue"}""", "payload.colour")]
    [InlineData("""{"name":"ok","tags":"a"}""", "payload.tags")]
    [InlineData("""{"name":"ok","tags":[1,2,3]}""", "payload.tags")]
    [InlineData("""{"name":"ok","extra":[1]}""", "payload.extra")]
    public async Task Invalid_payloads_are_400_with_the_path_and_write_nothing(string payload, string path)
    {
        await FormSchemaAsync();
        var before = await CountRowsAsync();
        var response = await Client.PostAsync("/v1/records", RawJson($$"""{"typeName":"form","payload":{{payload}}}"""));
        var body = await ExpectAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(path, body.GetProperty("details").GetProperty("field").GetString());
        Assert.Contains(path, body.GetProperty("message").GetString());
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task Invalid_updates_write_nothing()
    {
        await FormSchemaAsync();
        var id = Id(await CreateRecordAsync(new { typeName = "form", payload = new { name = "ok" } }));
        var before = await CountRowsAsync();
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { name = 1 } }), HttpStatusCode.BadRequest);
        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{id}", new { payload = new { colour = "blue" } }), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records?upsert=true", new { typeName = "form", payload = new { name = "x" } }), HttpStatusCode.BadRequest);
        Assert.Equal(before, await CountRowsAsync());
        Assert.Equal(1, (await JsonAsync(await Client.GetAsync($"/v1/records/{id}"))).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Oversized_payloads_are_400()
    {
        await CreateBareSchemaAsync("blob");
        var before = await CountRowsAsync();
        var big = new string('x', 420 * 1024);
        var body = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "blob", payload = new { big } }), HttpStatusCode.BadRequest);
        Assert.Equal("payload", body.GetProperty("details").GetProperty("field").GetString());
        Assert.Contains("409600", body.GetProperty("message").GetString());
        Assert.Equal(before, await CountRowsAsync());

        // Just under the cap is fine.
        var fits = new string('x', 400 * 1024 - 20);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/records", new { typeName = "blob", payload = new { fits } })).StatusCode);

        // Beyond the request body limit the server refuses before parsing.
        var huge = new string('x', 2 * 1024 * 1024);
        var tooBig = await OversizedAsync(() => Client.PostAsJsonAsync("/v1/records", new { typeName = "blob", payload = new { huge } }));
        Assert.True(tooBig is null or HttpStatusCode.RequestEntityTooLarge, $"{tooBig}");
    }

    [Fact]
    public async Task Deep_nesting_is_400_with_the_path()
    {
        await CreateBareSchemaAsync("blob");
        var before = await CountRowsAsync();
        var json = new StringBuilder("""{"typeName":"blob","payload":{"a":""");
        for (var i = 0; i < 40; i++)
        {
            json.Append("""{"a":""");
        }

        json.Append("1").Append('}', 41).Append('}');
        var body = await ExpectAsync(await Client.PostAsync("/v1/records", RawJson(json.ToString())), HttpStatusCode.BadRequest);
        var field = body.GetProperty("details").GetProperty("field").GetString()!;
        Assert.StartsWith("payload.a.a.a", field);
        Assert.Contains("32", body.GetProperty("message").GetString());
        Assert.Equal(before, await CountRowsAsync());

        // 32 levels (the payload object counts as one) are fine.
        var ok = new StringBuilder("""{"typeName":"blob","payload":""");
        for (var i = 0; i < 32; i++)
        {
            ok.Append("""{"a":""");
        }

        ok.Append("1").Append('}', 32).Append('}');
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync("/v1/records", RawJson(ok.ToString()))).StatusCode);
    }

    [Theory]
    [InlineData("""{"typeName":"form","payload":"text"}""", "payload")]
    [InlineData("""{"typeName":"form","payload":[1]}""", "payload")]
    [InlineData("""{"typeName":"form","colour":"x"}""", "colour")]
    [InlineData("""{"typeName":5}""", "typeName")]
    [InlineData("""{"typeName":"form","expectedVersion":"1"}""", "expectedVersion")]
    [InlineData("""{"typeName":"form","schemaId":"nope"}""", "schemaId")]
    [InlineData("""{"typeName":"x'; DROP TABLE records; --"}""", "typeName")]
    [InlineData("""{"typeName":"ghost"}""", "typeName")]
    [InlineData("""{"typeName":"a#b"}""", "typeName")]
    public async Task Bad_bodies_are_400(string json, string field)
    {
        await FormSchemaAsync();
        var body = await ExpectAsync(await Client.PostAsync("/v1/records", RawJson(json)), HttpStatusCode.BadRequest);
        Assert.Equal(field, body.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(0, (await CountRowsAsync()).Records);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("")]
    [InlineData("null")]
    public async Task Malformed_json_is_400(string json)
    {
        await FormSchemaAsync();
        await ExpectAsync(await Client.PostAsync("/v1/records", RawJson(json)), HttpStatusCode.BadRequest);
        Assert.Equal(0, (await CountRowsAsync()).Records);
    }

    [Fact]
    public async Task Injection_strings_are_stored_as_data()
    {
        await FormSchemaAsync();
        const string evil = "'; DROP TABLE records; --";
        var created = await CreateRecordAsync(new { typeName = "form", externalId = evil, payload = new { name = "ok", extra = new { q = evil } } });
        var get = await JsonAsync(await Client.GetAsync($"/v1/records/{Id(created)}"));
        Assert.Equal(evil, get.GetProperty("externalId").GetString());
        Assert.Equal(evil, get.GetProperty("payload").GetProperty("extra").GetProperty("q").GetString());
        var lookup = await JsonAsync(await Client.GetAsync($"/v1/records/lookup?type=form&field=externalId&value={Uri.EscapeDataString(evil)}"));
        Assert.Equal(1, lookup.GetProperty("data").GetArrayLength());

        // status is an enum since 0.40: an injection string there is a 400 that writes nothing.
        var refused = await Client.PostAsJsonAsync("/v1/records", new { typeName = "form", externalId = "evil-status", status = evil, payload = new { name = "ok" } });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task A_bare_schema_stores_any_payload_as_is()
    {
        await CreateBareSchemaAsync("free");
        var created = await CreateRecordAsync(new { typeName = "free", payload = new { anything = new object[] { 1, "two", new { three = true } }, n = 1.5 } });
        var get = await JsonAsync(await Client.GetAsync($"/v1/records/{Id(created)}"));
        Assert.Equal(created.GetProperty("payload").GetRawText().Length, get.GetProperty("payload").GetRawText().Length);
        Assert.Equal(1.5, get.GetProperty("payload").GetProperty("n").GetDouble());
    }
}
