using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Contract.Tests.Spec;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>Proves the spec loader and the schema validator before any API test leans on them.</summary>
public sealed class SpecValidatorTests
{
    private static readonly string[] _methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private static OpenApiSpec Spec => OpenApiSpec.Current;

    [SpecFact]
    public void Spec_loads_with_the_counts_the_digest_gives()
    {
        Assert.Equal("0.31.0", Spec.Version);
        Assert.Equal(98, Spec.OperationIds.Count);
        Assert.Equal(98, Spec.OperationIds.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(137, Spec.SchemaNames.Count);
        Assert.Equal(61, Spec.Operations.Select(o => o.Path).Distinct(StringComparer.Ordinal).Count());
    }

    [SpecFact]
    public void Every_ref_in_the_document_resolves()
    {
        var references = new List<(string At, string Target)>();
        CollectReferences(Spec.Document, references);

        Assert.Equal(281, references.Count);
        Assert.Empty(references.Where(r => Spec.Resolve(r.Target) is null).Select(r => $"{r.At} -> {r.Target}"));
    }

    [SpecFact]
    public void Every_schema_keyword_the_spec_uses_is_one_the_validator_knows()
    {
        var keywords = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var schema in AllSchemas())
        {
            CollectKeywords(schema, keywords);
        }

        Assert.All(keywords, k => Assert.True(SchemaKeywords.IsKnown(k), $"SchemaValidator does not know '{k}'"));
        // Pins the subset the validator was written against; a change here means re-reading SchemaKeywords.
        Assert.Equal(
            ["$ref", "additionalProperties", "default", "description", "discriminator", "enum", "example", "format",
             "items", "maximum", "minimum", "nullable", "oneOf", "properties", "required", "type"],
            keywords);
    }

    [SpecFact]
    public void Every_component_schema_accepts_an_instance_built_from_its_examples()
    {
        // Examples are incomplete (many required fields have none), so only type and shape errors count here.
        var failures = Spec.SchemaNames
            .SelectMany(name => ExampleInstance(Spec.Schema(name)!, 0) is { } instance
                ? Spec.Validator.Validate(instance, Spec.Schema(name)!)
                    .Where(e => !e.Contains("missing required property", StringComparison.Ordinal)
                        && !e.Contains("oneOf", StringComparison.Ordinal))
                    .Select(e => $"{name}: {e}")
                : [])
            .ToList();

        Assert.Empty(failures);
    }

    [SpecFact]
    public void Every_erratum_still_applies_to_the_spec()
    {
        // When this fails the spec was corrected: delete the erratum that no longer matches.
        Assert.Equal(SpecErratum.All.Select(e => e.Pointer), Spec.AppliedErrata.Select(e => e.Pointer));
        Assert.Empty(Validate("ScopeClause", """{"allowed_actions":["read"],"data_scope":{"orgId":["org_x",null]}}"""));
        Assert.NotEmpty(Validate("ScopeClause", """{"allowed_actions":["read"],"data_scope":{"orgId":"org_x"}}"""));
    }

    [SpecFact]
    public void Yaml_plain_scalars_become_json_numbers_and_booleans_and_quoted_ones_stay_strings()
    {
        var node = YamlToJson.Parse("""
            int: 20
            negative: -3
            fraction: 0.5
            exponent: 1e3
            yes: true
            no: False
            nothing: ~
            quotedInt: "1"
            quotedBool: 'true'
            version: "0.31.0"
            dotted: 0.31.0
            timestamp: 2024-01-15T09:30:00Z
            date: 2024-01-01
            literal: |
              42
            after: end
            """)!;

        Assert.Equal(JsonValueKind.Number, node["int"]!.GetValueKind());
        Assert.Equal(20, node["int"]!.GetValue<long>());
        Assert.Equal(-3, node["negative"]!.GetValue<long>());
        Assert.Equal(0.5m, node["fraction"]!.GetValue<decimal>());
        Assert.Equal(1000m, node["exponent"]!.GetValue<decimal>());
        Assert.Equal(JsonValueKind.True, node["yes"]!.GetValueKind());
        Assert.Equal(JsonValueKind.False, node["no"]!.GetValueKind());
        Assert.True(node.AsObject().ContainsKey("nothing"));
        Assert.Null(node["nothing"]);
        Assert.Equal("1", node["quotedInt"]!.GetValue<string>());
        Assert.Equal("true", node["quotedBool"]!.GetValue<string>());
        Assert.Equal("0.31.0", node["version"]!.GetValue<string>());
        Assert.Equal("0.31.0", node["dotted"]!.GetValue<string>());
        Assert.Equal("2024-01-15T09:30:00Z", node["timestamp"]!.GetValue<string>());
        Assert.Equal("2024-01-01", node["date"]!.GetValue<string>());
        Assert.Equal("42\n", node["literal"]!.GetValue<string>());
        Assert.Equal("end", node["after"]!.GetValue<string>());
    }

    [SpecFact]
    public void Spec_scalars_keep_their_yaml_types()
    {
        var limit = Spec.Operation("listAppContexts").Path is { } path
            ? Spec.Document["paths"]![path]!["get"]!["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "limit")!["schema"]!
            : throw new InvalidOperationException();
        Assert.Equal(1, limit["minimum"]!.GetValue<long>());
        Assert.Equal(100, limit["maximum"]!.GetValue<long>());
        Assert.Equal(20, limit["default"]!.GetValue<long>());
        Assert.Equal(JsonValueKind.True, Spec.Schema("AppContextPage")!["properties"]!["nextCursor"]!["nullable"]!.GetValueKind());
        Assert.Equal("2024-01-15T09:30:00Z", Spec.Schema("AppContextResponse")!["properties"]!["createdAt"]!["example"]!.GetValue<string>());
        // Quoted keys stay keys: the spec writes the EC coordinate as "y".
        Assert.NotNull(Spec.Schema("Jwk")!["properties"]!["y"]);
    }

    [SpecFact]
    public void Valid_ping_response_passes()
    {
        Assert.Empty(Validate("PingResponse", ValidPing));
        Assert.Empty(Validate("PingResponse", """
            {"status":"ok","tenantId":"ten_live_1","environment":"production","principalType":"token",
             "principalKeyId":"jti-1","allowedActions":["records:r"],"dataScope":{"orgId":"o1"},"tokenExpiresAt":1733971200,
             "somethingNew":{"nested":[1,2]}}
            """));
    }

    [SpecFact]
    public void Missing_required_tenant_id_fails_naming_it()
    {
        var errors = Validate("PingResponse", """{"status":"ok","environment":"staging","principalType":"root_key","principalKeyId":"k"}""");

        Assert.Equal(["$: missing required property 'tenantId'"], errors);
    }

    [SpecFact]
    public void Principal_type_outside_the_enum_fails()
    {
        var errors = Validate("PingResponse", ValidPing.Replace("\"root_key\"", "\"admin\"", StringComparison.Ordinal));

        Assert.Equal(["$.principalType: \"admin\" is not one of [\"root_key\",\"scoped_key\",\"token\"]"], errors);
    }

    [SpecFact]
    public void App_context_status_outside_the_enum_fails()
    {
        var errors = Validate("AppContextResponse", """{"id":"t#app","contextId":"app","name":"App","status":"weird"}""");

        Assert.Equal(["$.status: \"weird\" is not one of [\"active\",\"purging\",\"deleted\"]"], errors);
        Assert.Empty(Validate("AppContextResponse", """{"id":"t#app","contextId":"app","name":"App","status":"purging"}"""));
    }

    [SpecFact]
    public void A_bad_item_in_a_page_is_reported_with_its_path()
    {
        var errors = Validate("AppContextPage", """
            {"data":[{"id":"t#a","createdAt":20240115,"status":"active"},{"id":"t#b","status":"gone"}],"nextCursor":null}
            """);

        Assert.Equal(
            ["$.data[0].createdAt: expected string, got number", "$.data[1].status: \"gone\" is not one of [\"active\",\"purging\",\"deleted\"]"],
            errors);
    }

    [SpecTheory]
    [InlineData("1", true)]
    [InlineData("0", true)]
    [InlineData("-7", true)]
    [InlineData("1.5", false)]
    [InlineData("1.0", false)]
    [InlineData("1e3", false)]
    [InlineData("2147483648", false)]
    [InlineData("\"1\"", false)]
    public void Integer_int32_accepts_only_whole_numbers_in_range(string inputTokens, bool valid)
    {
        var errors = Validate("DoneEvent", DoneEvent(inputTokens: inputTokens));

        Assert.Equal(valid, errors.Count == 0);
        if (!valid)
        {
            Assert.StartsWith("$.inputTokens: ", Assert.Single(errors), StringComparison.Ordinal);
        }
    }

    [SpecTheory]
    [InlineData("3")]
    [InlineData("0.25")]
    [InlineData("1e-2")]
    public void Number_accepts_integers_and_fractions(string credits)
    {
        Assert.Empty(Validate("DoneEvent", DoneEvent(credits: credits)));
    }

    [SpecFact]
    public void Int64_rejects_values_beyond_its_range()
    {
        Assert.Empty(Validate("DoneEvent", DoneEvent(cents: "9223372036854775807")));
        Assert.Equal(
            ["$.inferenceBalanceCentsCharged: 9223372036854775808 is out of range for int64"],
            Validate("DoneEvent", DoneEvent(cents: "9223372036854775808")));
    }

    [SpecFact]
    public void Null_is_allowed_only_where_nullable()
    {
        Assert.Empty(Validate("AppContextPage", """{"data":[],"nextCursor":null}"""));
        Assert.Empty(Validate("AppContextPage", """{"data":[]}"""));
        Assert.Equal(
            ["$.data[0].name: expected string, got null (not nullable)"],
            Validate("AppContextPage", """{"data":[{"name":null}],"nextCursor":"c"}"""));
        Assert.Equal(["$.data: expected array, got null (not nullable)"], Validate("AppContextPage", """{"data":null}"""));
        Assert.Equal(["$: expected object, got null (not nullable)"], Validate("AppContextPage", "null"));
    }

    [SpecTheory]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("4.2")]
    [InlineData("false")]
    public void One_of_accepts_a_value_matching_exactly_one_alternative(string scalar)
    {
        Assert.Empty(Validate("Scalar", scalar));
    }

    [SpecTheory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[1]")]
    public void One_of_rejects_a_value_matching_no_alternative(string scalar)
    {
        var error = Assert.Single(Validate("Scalar", scalar));

        Assert.StartsWith("$: matches none of the oneOf alternatives: string: $: expected string, got ", error, StringComparison.Ordinal);
    }

    [SpecFact]
    public void One_of_inside_maps_and_arrays_follows_references()
    {
        Assert.Empty(Validate("FilterValue", """["a", 1, true]"""));
        Assert.Empty(Validate("FilterValue", """{"$gte": 5, "$in": ["x", 2]}"""));
        var error = Assert.Single(Validate("SearchRequest", """{"query":"q","filters":{"year":{"$in":[{"nested":1}]}}}"""));
        Assert.StartsWith("$.filters.year: matches none of the oneOf alternatives", error, StringComparison.Ordinal);
        Assert.Contains("FilterCondition: $.filters.year.$in[0]: matches none of the oneOf alternatives", error, StringComparison.Ordinal);
    }

    [SpecFact]
    public void One_of_with_a_discriminator_reports_the_selected_alternatives_errors()
    {
        Assert.Empty(Validate("ChatStreamEvent", """{"type":"content_delta","event":"content_delta","delta":"Hel"}"""));
        Assert.Empty(Validate("ChatStreamEvent", """{"type":"error","event":"error","message":"m","code":"inference_error"}"""));

        Assert.Equal(
            ["$: type \"done\" selects oneOf alternative DoneEvent, which does not match:", "$.inputTokens: expected integer, got number 1.5"],
            Validate("ChatStreamEvent", DoneEvent(inputTokens: "1.5")));
        Assert.Equal(
            ["$: type \"bogus\" selects none of the oneOf alternatives (ContentDeltaEvent, DoneEvent, ErrorEvent)"],
            Validate("ChatStreamEvent", """{"type":"bogus","event":"bogus"}"""));
    }

    [SpecFact]
    public void One_of_matching_two_alternatives_fails()
    {
        var spec = OpenApiSpec.Parse("""
            components:
              schemas:
                Loose:
                  oneOf:
                    - type: number
                    - type: integer
            """);

        Assert.Equal(
            ["$: matches 2 oneOf alternatives (number, integer); exactly one must match"],
            spec.Validator.Validate(JsonNode.Parse("3"), spec.Schema("Loose")!));
        Assert.Empty(spec.Validator.Validate(JsonNode.Parse("3.5"), spec.Schema("Loose")!));
    }

    [SpecFact]
    public void Ref_chains_resolve_and_siblings_of_a_ref_are_ignored()
    {
        var spec = OpenApiSpec.Parse("""
            components:
              schemas:
                Outer:
                  type: object
                  required: [inner]
                  properties:
                    inner:
                      description: a sibling of $ref, which OpenAPI 3.0 ignores
                      nullable: true
                      $ref: '#/components/schemas/Alias'
                Alias:
                  $ref: '#/components/schemas/AliasOfAlias'
                AliasOfAlias:
                  $ref: '#/components/schemas/Target'
                Target:
                  type: object
                  required: [n]
                  properties:
                    n: { type: integer, minimum: 1, maximum: 3 }
                Cycle:
                  $ref: '#/components/schemas/Cycle2'
                Cycle2:
                  $ref: '#/components/schemas/Cycle'
                Dangling:
                  $ref: '#/components/schemas/Nowhere'
            """);
        var outer = spec.Schema("Outer")!;

        Assert.Empty(spec.Validator.Validate(JsonNode.Parse("""{"inner":{"n":2}}"""), outer));
        Assert.Equal(["$.inner.n: 4 is greater than the maximum 3"], spec.Validator.Validate(JsonNode.Parse("""{"inner":{"n":4}}"""), outer));
        Assert.Equal(["$.inner.n: 0 is less than the minimum 1"], spec.Validator.Validate(JsonNode.Parse("""{"inner":{"n":0}}"""), outer));
        Assert.Equal(["$.inner: expected object, got null (not nullable)"], spec.Validator.Validate(JsonNode.Parse("""{"inner":null}"""), outer));
        Assert.Throws<InvalidDataException>(() => spec.Validator.Validate(JsonNode.Parse("1"), spec.Schema("Cycle")!));
        Assert.Throws<InvalidDataException>(() => spec.Validator.Validate(JsonNode.Parse("1"), spec.Schema("Dangling")!));
    }

    [SpecFact]
    public void Spec_ref_chains_validate_nested_components()
    {
        // SchemaPage -> SchemaResponse -> FieldDef / LookupDef / RenderHintDef through items and maps.
        var errors = Validate("SchemaPage", """
            {"data":[{"typeName":"patient","allowedSurfaces":["record"],"lookupFields":[{"fieldName":"email","unique":"yes"}]}],"nextCursor":null}
            """);

        Assert.Equal(["$.data[0].lookupFields[0].unique: expected boolean, got string"], errors);
    }

    [SpecFact]
    public void Additional_properties_schemas_apply_to_every_unlisted_member()
    {
        Assert.Empty(Validate("SchemaResponse", """{"capabilities":{"auditHistory":true,"anything":false}}"""));
        Assert.Equal(
            ["$.capabilities['audit history']: expected boolean, got string"],
            Validate("SchemaResponse", """{"capabilities":{"audit history":"yes"}}"""));
    }

    [SpecFact]
    public void Additional_properties_false_rejects_unknown_members_and_unknown_members_are_otherwise_allowed()
    {
        var closed = Schema("""{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}""");
        var open = Schema("""{"type":"object","properties":{"a":{"type":"string"}}}""");

        Assert.Equal(["$: property 'b' is not allowed (additionalProperties: false)"], Spec.Validator.Validate(JsonNode.Parse("""{"a":"x","b":1}"""), closed));
        Assert.Empty(Spec.Validator.Validate(JsonNode.Parse("""{"a":"x","b":1}"""), open));
    }

    [SpecFact]
    public void An_enum_written_on_an_array_applies_to_its_elements()
    {
        Assert.Empty(Validate("SchemaResponse", """{"allowedSurfaces":["record","document"]}"""));
        Assert.Equal(
            ["$.allowedSurfaces[1]: \"table\" is not one of [\"record\",\"document\",\"user\",\"org\",\"client\"]"],
            Validate("SchemaResponse", """{"allowedSurfaces":["record","table"]}"""));
    }

    [SpecTheory]
    [InlineData("2024-01-15T09:30:00Z", true)]
    [InlineData("2024-01-15T09:30:00.123+02:00", true)]
    [InlineData("2024-01-15", false)]
    [InlineData("2024-02-30T09:30:00Z", false)]
    [InlineData("2024-01-15T09:30:00", false)]
    [InlineData("yesterday", false)]
    public void Date_time_format_requires_rfc3339(string createdAt, bool valid)
    {
        var errors = Validate("RagSearchResult", $$"""{"documentId":"d","score":0.5,"createdAt":"{{createdAt}}"}""");

        Assert.Equal(valid ? [] : [$"$.createdAt: \"{createdAt}\" is not a valid date-time"], errors);
    }

    [SpecTheory]
    [InlineData("""{"type":"string","minLength":2}""", "\"a\"", "$: length 1 is below minLength 2")]
    [InlineData("""{"type":"string","maxLength":2}""", "\"abc\"", "$: length 3 is above maxLength 2")]
    [InlineData("""{"type":"string","pattern":"^[a-z][a-z0-9-]*$"}""", "\"Bad\"", "$: \"Bad\" does not match pattern ^[a-z][a-z0-9-]*$")]
    [InlineData("""{"type":"array","minItems":1}""", "[]", "$: has 0 items, fewer than minItems 1")]
    [InlineData("""{"type":"array","maxItems":1}""", "[1,2]", "$: has 2 items, more than maxItems 1")]
    [InlineData("""{"type":"string","format":"uuid"}""", "\"not-a-uuid\"", "$: \"not-a-uuid\" is not a valid uuid")]
    [InlineData("""{"allOf":[{"type":"integer"},{"minimum":5}]}""", "3", "$: 3 is less than the minimum 5")]
    [InlineData("""{"anyOf":[{"type":"integer"},{"type":"boolean"}]}""", "\"x\"", "$: matches none of the anyOf alternatives: integer: $: expected integer, got string | boolean: $: expected boolean, got string")]
    public void Keywords_the_spec_does_not_use_yet_are_still_checked(string schema, string instance, string expected)
    {
        Assert.Equal([expected], Spec.Validator.Validate(JsonNode.Parse(instance), Schema(schema)));
    }

    [SpecFact]
    public void An_unsupported_keyword_fails_loudly_instead_of_being_ignored()
    {
        var exception = Assert.Throws<NotSupportedException>(() => Spec.Validator.Validate(JsonNode.Parse("[1,1]"), Schema("""{"type":"array","uniqueItems":true}""")));

        Assert.Contains("'uniqueItems'", exception.Message, StringComparison.Ordinal);
        Assert.Empty(Spec.Validator.Validate(JsonNode.Parse("1"), Schema("""{"type":"integer","x-internal":true,"title":"t"}""")));
    }

    [SpecFact]
    public void Operations_are_found_by_id_with_method_path_and_response_schemas()
    {
        var ping = Spec.Operation("ping");
        Assert.Equal(("GET", "/v1/ping"), (ping.Method, ping.Path));
        Assert.Equal("#/components/schemas/PingResponse", Spec.ResponseSchema("ping", 200)!["$ref"]!.GetValue<string>());
        Assert.Equal("PingResponse", ping.Response(200)!.SchemaName);
        Assert.Equal("application/json", ping.Response(200)!.MediaType);

        var delete = Spec.Operation("deleteAppContext");
        Assert.Equal(("DELETE", "/v1/app-contexts/{contextId}"), (delete.Method, delete.Path));
        Assert.Null(Spec.ResponseSchema("deleteAppContext", 202));
        Assert.False(delete.Response(202)!.HasContent);
        Assert.Null(delete.Response(200));

        Assert.True(Spec.Operation("chatInference").Response(200)!.IsEventStream);
        Assert.Throws<KeyNotFoundException>(() => Spec.ResponseSchema("ping", 404));
        Assert.Throws<KeyNotFoundException>(() => Spec.Operation("noSuchOperation"));
        Assert.Same(delete, Spec.FindOperation("delete", "/v1/app-contexts/{id}"));
        Assert.Null(Spec.FindOperation("POST", "/v1/ping"));
    }

    private const string ValidPing = """
        {"status":"ok","tenantId":"ten_live_1","environment":"staging","principalType":"root_key","principalKeyId":"sk_live_abc"}
        """;

    private static string DoneEvent(string inputTokens = "12", string credits = "1.5", string cents = "3") => $$"""
        {"type":"done","event":"done","inputTokens":{{inputTokens}},"outputTokens":40,"model":"local",
         "platformCreditsCharged":{{credits}},"inferenceBalanceCentsCharged":{{cents}}}
        """;

    private static IReadOnlyList<string> Validate(string component, string json) =>
        Spec.Validator.Validate(JsonNode.Parse(json), Spec.Schema(component) ?? throw new ArgumentException(component));

    private static JsonNode Schema(string json) => JsonNode.Parse(json)!;

    private static IEnumerable<JsonNode> AllSchemas()
    {
        foreach (var (_, schema) in Spec.Document["components"]!["schemas"]!.AsObject())
        {
            yield return schema!;
        }

        foreach (var (_, pathItem) in Spec.Document["paths"]!.AsObject())
        {
            foreach (var operation in _methods.Select(m => pathItem![m]).OfType<JsonObject>())
            {
                foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
                {
                    if (parameter!["schema"] is { } schema)
                    {
                        yield return schema;
                    }
                }

                var bodies = (operation["requestBody"]?["content"]?.AsObject() ?? [])
                    .Concat((operation["responses"]?.AsObject() ?? []).SelectMany(r => r.Value!["content"]?.AsObject() ?? []));
                foreach (var (_, media) in bodies)
                {
                    if (media!["schema"] is { } schema)
                    {
                        yield return schema;
                    }
                }
            }
        }
    }

    private static void CollectKeywords(JsonNode schema, ISet<string> keywords)
    {
        foreach (var (keyword, value) in schema.AsObject())
        {
            keywords.Add(keyword);
            switch (keyword)
            {
                case "properties":
                    foreach (var (_, property) in value!.AsObject())
                    {
                        CollectKeywords(property!, keywords);
                    }

                    break;
                case "items":
                case "additionalProperties" when value is JsonObject:
                    CollectKeywords(value!, keywords);
                    break;
                case "oneOf" or "anyOf" or "allOf":
                    foreach (var alternative in value!.AsArray())
                    {
                        CollectKeywords(alternative!, keywords);
                    }

                    break;
            }
        }
    }

    private static void CollectReferences(JsonNode? node, List<(string At, string Target)> references)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref" && value is JsonValue target && target.GetValueKind() == JsonValueKind.String)
                    {
                        references.Add((obj.GetPath(), target.GetValue<string>()));
                    }
                    else
                    {
                        CollectReferences(value, references);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    CollectReferences(item, references);
                }

                break;
        }
    }

    /// <summary>An instance assembled from the schema's own examples, or null when it gives none.</summary>
    private static JsonNode? ExampleInstance(JsonNode schema, int depth)
    {
        while (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            schema = Spec.Resolve(reference)!;
        }

        // LookupDef's own example is a list of LookupDefs: a slip in the example, not in the schema.
        if (schema["example"] is { } example && schema.GetPath() != "$.components.schemas.LookupDef")
        {
            return example.DeepClone();
        }

        // Deep enough for every component; stops a recursive schema from recursing forever.
        if (depth > 8)
        {
            return null;
        }

        if (schema["properties"] is JsonObject properties)
        {
            var instance = new JsonObject();
            foreach (var (name, property) in properties)
            {
                if (ExampleInstance(property!, depth + 1) is { } value)
                {
                    instance[name] = value;
                }
            }

            return instance;
        }

        return schema["items"] is { } items && ExampleInstance(items, depth + 1) is { } item ? new JsonArray(item) : null;
    }
}
