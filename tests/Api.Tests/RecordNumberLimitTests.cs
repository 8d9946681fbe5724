using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// 0.40 number rules (API-DELTA §1 "Numbers"): every number in a record payload, declared or not, fits signed 64-bit,
/// has at most 38 significant digits, is zero or at least 1e-130 in magnitude, and is finite; otherwise 400 naming
/// the field path, and nothing is written. Lookup values that are numbers obey the same rules. A declared
/// <c>number</c> reads back as a JSON number everywhere, including <c>/versions</c> diffs.
/// </summary>
public sealed class RecordNumberLimitTests : RecordTestBase
{
    private Task MeasureSchemaAsync() => CreateSchemaAsync(new
    {
        typeName = "measure",
        displayName = "Measure",
        fields = new object[]
        {
            new { fieldId = "n", fieldType = "number" },
            new { fieldId = "label", fieldType = "string" },
        },
        lookupFields = new object[] { "n", new { fieldNames = new[] { "label", "n" } } },
    });

    private static string? ErrorField(JsonElement error) =>
        error.TryGetProperty("details", out var details) ? details.GetProperty("field").GetString() : null;

    private Task<HttpResponseMessage> PostRawAsync(string typeName, string payload) =>
        Client.PostAsync("/v1/records", RawJson($$"""{"typeName": "{{typeName}}", "payload": {{payload}}}"""));

    [Theory]
    [InlineData("""{"n": 9223372036854775808}""", "payload.n")]
    [InlineData("""{"n": -9223372036854775809}""", "payload.n")]
    [InlineData("""{"n": 9223372036854775807.5}""", "payload.n")]
    [InlineData("""{"n": 1e19}""", "payload.n")]
    [InlineData("""{"n": 1.5e300}""", "payload.n")]
    [InlineData("""{"n": 1.23456789012345678901234567890123456789}""", "payload.n")]
    [InlineData("""{"n": 1e-131}""", "payload.n")]
    [InlineData("""{"n": 0.99e-130}""", "payload.n")]
    [InlineData("""{"n": 1, "extra": {"deep": [1, 2, 1e-400]}}""", "payload.extra.deep[2]")]
    [InlineData("""{"label": "x", "big": 12345678901234567890}""", "payload.big")]
    public async Task A_number_outside_the_rules_is_400_naming_its_path_and_nothing_is_written(string payload, string field)
    {
        await MeasureSchemaAsync();
        await CreateBareSchemaAsync("loose");
        var before = await CountRowsAsync();
        foreach (var type in new[] { "measure", "loose" })
        {
            var error = await ExpectAsync(await PostRawAsync(type, payload), HttpStatusCode.BadRequest);
            Assert.Equal(field, ErrorField(error));
            Assert.Equal("VALIDATION_ERROR", error.GetProperty("errorCode").GetString());
        }

        Assert.Equal(before, await CountRowsAsync());
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public async Task Non_finite_values_are_400_and_nothing_is_written(string value)
    {
        await MeasureSchemaAsync();
        await ExpectAsync(await PostRawAsync("measure", $$"""{"n": {{value}}}"""), HttpStatusCode.BadRequest);
        Assert.Equal(0, (await CountRowsAsync()).Records);
    }

    [Theory]
    [InlineData("9223372036854775807")]
    [InlineData("-9223372036854775808")]
    [InlineData("9223372036854775806.5")]
    [InlineData("1e-130")]
    [InlineData("-2.5e-130")]
    [InlineData("0.12345678901234567890123456789012345678")]
    [InlineData("100000000000000000000000000000000000000e-20")]
    [InlineData("0")]
    [InlineData("-0.0")]
    [InlineData("1.5e3")]
    public async Task Numbers_at_the_limits_are_stored_and_read_back_as_the_same_json_number(string value)
    {
        await MeasureSchemaAsync();
        var created = await ExpectAsync(await PostRawAsync("measure", $$"""{"n": {{value}}, "label": "x"}"""), HttpStatusCode.Created);
        var read = await ExpectAsync(await Client.GetAsync($"/v1/records/{Id(created)}"), HttpStatusCode.OK);
        var n = read.GetProperty("payload").GetProperty("n");
        Assert.Equal(JsonValueKind.Number, n.ValueKind);
        Assert.Equal(decimal.Parse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture),
            decimal.Parse(n.GetRawText(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture));

        // The exact-match lookup finds it by the same number in any spelling.
        var found = await ExpectAsync(await Client.GetAsync($"/v1/records/lookup?type=measure&field=n&value={Uri.EscapeDataString(value)}"), HttpStatusCode.OK);
        Assert.Equal(Id(created), Id(Assert.Single(found.GetProperty("data").EnumerateArray())));
    }

    [Fact]
    public async Task Updates_are_held_to_the_same_rules()
    {
        await MeasureSchemaAsync();
        var id = Id(await CreateRecordAsync(new { typeName = "measure", payload = new { n = 1 } }));
        var before = await CountRowsAsync();

        var put = await ExpectAsync(await Client.PutAsync($"/v1/records/{id}", RawJson("""{"payload": {"n": 1e20}}""")), HttpStatusCode.BadRequest);
        Assert.Equal("payload.n", ErrorField(put));
        var patch = await ExpectAsync(await PatchRawAsync(Client, $"/v1/records/{id}", """{"payload": {"m": {"x": 1e-200}}}"""), HttpStatusCode.BadRequest);
        Assert.Equal("payload.m.x", ErrorField(patch));
        var upsert = await ExpectAsync(await Client.PostAsync("/v1/records?upsert=true",
            RawJson("""{"typeName": "measure", "externalId": "m-1", "payload": {"n": 99999999999999999999}}""")), HttpStatusCode.BadRequest);
        Assert.Equal("payload.n", ErrorField(upsert));

        Assert.Equal(before, await CountRowsAsync());
        Assert.Equal(1, (await JsonAsync(await Client.GetAsync($"/v1/records/{id}"))).GetProperty("version").GetInt64());
    }

    [Theory]
    [InlineData("field=n&value=9223372036854775808", "value")]
    [InlineData("field=n&values=1e-131", "values[0]")]
    [InlineData("field=label,n&values=x&values=1.23456789012345678901234567890123456789", "values[1]")]
    [InlineData("field=n&value=abc", "value")]
    public async Task Number_lookup_values_outside_the_rules_are_400_naming_the_parameter(string query, string field)
    {
        await MeasureSchemaAsync();
        var error = await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=measure&" + query), HttpStatusCode.BadRequest);
        Assert.Equal(field, ErrorField(error));
    }

    [Fact]
    public async Task A_declared_number_reads_back_as_a_json_number_everywhere_including_version_diffs()
    {
        await MeasureSchemaAsync();
        var id = Id(await ExpectAsync(await PostRawAsync("measure", """{"n": 12.50, "label": "a"}"""), HttpStatusCode.Created));
        await ExpectAsync(await Client.PutAsync($"/v1/records/{id}", RawJson("""{"payload": {"n": 1e3, "label": "a"}}""")), HttpStatusCode.OK);
        await ExpectAsync(await PatchRawAsync(Client, $"/v1/records/{id}", """{"payload": {"n": -0.000001}}"""), HttpStatusCode.OK);
        await ExpectAsync(await PatchRawAsync(Client, $"/v1/records/{id}", """{"payload": {"n": 9223372036854775807}}"""), HttpStatusCode.OK);

        static decimal Number(JsonElement value)
        {
            Assert.Equal(JsonValueKind.Number, value.ValueKind);
            return value.GetDecimal();
        }

        var record = await ExpectAsync(await Client.GetAsync($"/v1/records/{id}"), HttpStatusCode.OK);
        Assert.Equal(9223372036854775807m, Number(record.GetProperty("payload").GetProperty("n")));
        var listed = await ExpectAsync(await Client.GetAsync("/v1/records?type=measure"), HttpStatusCode.OK);
        Assert.Equal(9223372036854775807m, Number(listed.GetProperty("data")[0].GetProperty("payload").GetProperty("n")));
        var looked = await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=measure&field=label,n&values=a&values=9223372036854775807"), HttpStatusCode.OK);
        Assert.Equal(9223372036854775807m, Number(looked.GetProperty("data")[0].GetProperty("payload").GetProperty("n")));

        var versions = (await ExpectAsync(await Client.GetAsync($"/v1/records/{id}/versions"), HttpStatusCode.OK)).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["UPDATE", "UPDATE", "UPDATE", "CREATE"], versions.Select(v => v.GetProperty("changeType").GetString()));
        var diffs = versions.Select(v => v.GetProperty("changedFields").GetProperty("details").GetProperty("payload.n")).ToList();
        Assert.Equal(12.5m, Number(diffs[3].GetProperty("targetVal")));
        Assert.Equal((12.5m, 1000m), (Number(diffs[2].GetProperty("sourceVal")), Number(diffs[2].GetProperty("targetVal"))));
        Assert.Equal((1000m, -0.000001m), (Number(diffs[1].GetProperty("sourceVal")), Number(diffs[1].GetProperty("targetVal"))));
        Assert.Equal((-0.000001m, 9223372036854775807m), (Number(diffs[0].GetProperty("sourceVal")), Number(diffs[0].GetProperty("targetVal"))));

        var previous = JsonDocument.Parse(versions[0].GetProperty("previousContent").GetString()!).RootElement;
        Assert.Equal(-0.000001m, Number(previous.GetProperty("payload").GetProperty("n")));
    }
}
