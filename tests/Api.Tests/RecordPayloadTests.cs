using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Records;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>The pure parts of the record write path, without a server: merge patch, validation, lookup keys, sensitive handling.</summary>
public sealed class RecordPayloadTests
{
    // RFC 7386 appendix A, every example.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    [InlineData("""{"a":"x"}""", """{"a":{"b":1,"c":null}}""", """{"a":{"b":1}}""")]
    public void Merge_patch_follows_rfc_7386(string target, string patch, string expected)
    {
        var original = JsonNode.Parse(target)!.AsObject();
        var result = MergePatch.Apply(original, JsonNode.Parse(patch)!.AsObject());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), result.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(target), original), "the target is not changed");
    }

    private static SchemaView Schema(params FieldDefinition[] fields) => new(
        Guid.NewGuid(), "t", "c", "thing", new SchemaDefinition { DisplayName = "Thing", Fields = fields }, 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    private static string? Failure(SchemaView schema, string payload)
    {
        try
        {
            PayloadValidator.Validate(schema, JsonNode.Parse(payload)!.AsObject());
            return null;
        }
        catch (ValidationException ex)
        {
            return ex.Field;
        }
    }

    [Fact]
    public void Validation_reports_the_failing_path()
    {
        var schema = Schema(
            new FieldDefinition { FieldId = "name", FieldType = "string", Required = true, Validation = new JsonObject { ["maxLength"] = 3 } },
            new FieldDefinition { FieldId = "n", FieldType = "number", Validation = new JsonObject { ["min"] = 1, ["max"] = 2 } },
            new FieldDefinition { FieldId = "e", FieldType = "enum", EnumValues = ["a", 1, true] },
            new FieldDefinition { FieldId = "d", FieldType = "date" },
            new FieldDefinition { FieldId = "r", FieldType = "reference", TargetTypeName = "x", Cardinality = "many" });

        Assert.Null(Failure(schema, """{"name":"abc","n":1.5,"e":1,"d":"2024-01-15T09:30:00Z","r":["a"],"undeclared":{"x":[1]}}"""));
        Assert.Null(Failure(schema, """{"name":"😀😀😀"}"""));
        Assert.Equal("payload.name", Failure(schema, """{}"""));
        Assert.Equal("payload.name", Failure(schema, """{"name":"abcd"}"""));
        Assert.Equal("payload.n", Failure(schema, """{"name":"a","n":3}"""));
        Assert.Equal("payload.e", Failure(schema, """{"name":"a","e":"b"}"""));
        Assert.Equal("payload.e", Failure(schema, """{"name":"a","e":"1"}"""));
        Assert.Equal("payload.d", Failure(schema, """{"name":"a","d":"2024-13-01"}"""));
        Assert.Equal("payload.r", Failure(schema, """{"name":"a","r":"x"}"""));
        Assert.Equal("payload.r[1]", Failure(schema, """{"name":"a","r":["x",""]}"""));
    }

    [Fact]
    public void Depth_is_capped_at_32_levels()
    {
        var schema = Schema();
        JsonObject Nest(int levels)
        {
            var root = new JsonObject();
            var node = root;
            for (var i = 1; i < levels; i++)
            {
                var child = new JsonObject();
                node["a"] = child;
                node = child;
            }

            return root;
        }

        PayloadValidator.Validate(schema, Nest(32));
        var ex = Assert.Throws<ValidationException>(() => PayloadValidator.Validate(schema, Nest(33)));
        Assert.Equal("payload" + string.Concat(Enumerable.Repeat(".a", 32)), ex.Field);
    }

    [Theory]
    [InlineData("1.50", "1.5")]
    [InlineData("1.5e0", "1.5")]
    [InlineData("100", "100")]
    [InlineData("1e2", "100")]
    [InlineData("-0.0", "0")]
    public void Numbers_share_one_canonical_key(string input, string expected)
    {
        Assert.Equal(expected, LookupKeys.NormalizeNumber(input));
        Assert.Equal(expected, LookupKeys.Canonical(JsonNode.Parse(input)));
    }

    [Fact]
    public void Long_values_are_indexed_by_digest_and_sensitive_ones_by_blind_index()
    {
        var longValue = new string('x', 600);
        var key = LookupKeys.StoredKey(longValue, sensitive: false, keys: null, "thing", "f");
        Assert.StartsWith("#sha256:", key);
        Assert.Equal(key, LookupKeys.StoredKey(longValue, sensitive: false, keys: null, "thing", "f"));

        var keys = new Vectros.Grains.Security.TenantKeys(new byte[32], Enumerable.Repeat((byte)7, 32).ToArray());
        var blind = LookupKeys.StoredKey("secret", sensitive: true, keys, "thing", "ssn");
        Assert.DoesNotContain("secret", blind);
        Assert.Equal(blind, keys.BlindIndex("thing.ssn", "secret"));
        Assert.NotEqual(blind, LookupKeys.StoredKey("secret", sensitive: true, keys, "thing", "other"));
    }

    [Fact]
    public void Sensitive_values_encrypt_decrypt_mask_and_strip()
    {
        var schema = Schema(
            new FieldDefinition { FieldId = "ssn", FieldType = "string", Sensitive = true },
            new FieldDefinition { FieldId = "n", FieldType = "number", Sensitive = true },
            new FieldDefinition { FieldId = "name", FieldType = "string" });
        var sensitive = SensitiveFields.Of(schema);
        var keys = new Vectros.Grains.Security.TenantKeys(Enumerable.Repeat((byte)1, 32).ToArray(), new byte[32]);
        var payload = JsonNode.Parse("""{"ssn":"123","n":42,"name":"Ann"}""")!.AsObject();

        var stored = (JsonObject)payload.DeepClone();
        var binding = new Vectros.Grains.Security.CipherBinding("t", "default", "record", "thing", Guid.NewGuid());
        sensitive.Encrypt(stored, keys, binding);
        Assert.DoesNotContain("123", stored["ssn"]!.ToJsonString());
        Assert.StartsWith("v2." + keys.KeyId + ".", stored["n"]!["$enc"]!.GetValue<string>());

        var decrypted = (JsonObject)stored.DeepClone();
        sensitive.Decrypt(decrypted, keys, binding);
        Assert.True(JsonNode.DeepEquals(payload, decrypted));

        var masked = (JsonObject)stored.DeepClone();
        sensitive.Mask(masked);
        Assert.Equal("""{"ssn":"[redacted]","n":"[redacted]","name":"Ann"}""", masked.ToJsonString());

        var stripped = (JsonObject)payload.DeepClone();
        sensitive.Strip(stripped);
        Assert.Equal("""{"name":"Ann"}""", stripped.ToJsonString());

        var markers = (JsonObject)stored.DeepClone();
        SensitiveFields.StripMarkers(markers);
        Assert.Equal("""{"name":"Ann"}""", markers.ToJsonString());
    }
}
