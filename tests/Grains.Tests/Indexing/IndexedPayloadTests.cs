using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Indexing;
using Xunit;

namespace Vectros.Grains.Tests.Indexing;

/// <summary>What of a payload reaches the search index: searchable text, filter values, metadata; never sensitive values.</summary>
public sealed class IndexedPayloadTests
{
    private static readonly SchemaView Schema = new(
        Guid.NewGuid(), "t", "c", "ticket",
        new SchemaDefinition
        {
            DisplayName = "Ticket",
            Fields =
            [
                new FieldDefinition { FieldId = "subject", FieldType = "string", Searchable = true },
                new FieldDefinition { FieldId = "body", FieldType = "string", Searchable = true },
                new FieldDefinition { FieldId = "tags", FieldType = "array", Searchable = true, Filterable = true },
                new FieldDefinition { FieldId = "priority", FieldType = "number", Filterable = true },
                new FieldDefinition { FieldId = "address.city", FieldType = "string", Filterable = true, Searchable = true },
                new FieldDefinition { FieldId = "ssn", FieldType = "string", Sensitive = true, Searchable = true, Filterable = true },
                new FieldDefinition { FieldId = "internal", FieldType = "string" },
            ],
        },
        1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    private const string Stored =
        """
        {"subject":"Printer jams","body":"It jams on page two.","tags":["hardware","urgent"],"priority":2,
         "address":{"city":"Leeds","zip":"LS1"},"ssn":{"$enc":"v1.cipher"},"internal":"not searchable","extra":"free text",
         "big":"BIGVALUE","nested":{"deep":{"$enc":"v1.other"}}}
        """;

    [Fact]
    public void Visible_drops_sensitive_fields_and_every_ciphertext_marker()
    {
        var visible = IndexedPayload.Visible(Stored, Schema);
        Assert.False(visible.ContainsKey("ssn"));
        Assert.False(visible["nested"]!.AsObject().ContainsKey("deep"));
        Assert.DoesNotContain("$enc", visible.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("free text", visible["extra"]!.GetValue<string>());
    }

    [Fact]
    public void Searchable_text_is_the_searchable_fields_in_declaration_order_one_paragraph_each()
    {
        var text = IndexedPayload.SearchableText(Schema, IndexedPayload.Visible(Stored, Schema));
        Assert.Equal("Printer jams\n\nIt jams on page two.\n\nhardware\nurgent\n\nLeeds", text);
    }

    [Fact]
    public void Searchable_text_never_holds_a_sensitive_value_even_in_plaintext()
    {
        // Defence in depth: were a plaintext value ever stored, the schema still keeps it out.
        var visible = IndexedPayload.Visible("""{"subject":"Hi","ssn":"123-45-6789"}""", Schema);
        Assert.Equal("Hi", IndexedPayload.SearchableText(Schema, visible));
        Assert.False(IndexedPayload.Filter(Schema, visible, undeclaredScalars: true).ContainsKey("ssn"));
    }

    [Fact]
    public void Filter_holds_filterable_fields_as_flat_scalars_or_arrays()
    {
        var filter = IndexedPayload.Filter(Schema, IndexedPayload.Visible(Stored, Schema), undeclaredScalars: false);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"tags":["hardware","urgent"],"priority":2,"address.city":"Leeds"}"""), filter), filter.ToJsonString());
    }

    [Fact]
    public void Documents_add_undeclared_scalars_up_to_256_bytes()
    {
        var big = new string('é', 129); // 258 UTF-8 bytes
        var visible = IndexedPayload.Visible(Stored.Replace("BIGVALUE", big, StringComparison.Ordinal), Schema);
        var filter = IndexedPayload.Filter(Schema, visible, undeclaredScalars: true);
        Assert.Equal("free text", filter["extra"]!.GetValue<string>());
        Assert.False(filter.ContainsKey("big"), "over 256 bytes");
        Assert.False(filter.ContainsKey("internal"), "declared but not filterable");
        Assert.False(filter.ContainsKey("nested"), "not a scalar");
        Assert.False(filter.ContainsKey("address"), "declared (address.city)");
    }

    [Fact]
    public void Without_a_schema_nothing_is_searchable_and_every_small_scalar_filters()
    {
        var visible = IndexedPayload.Visible("""{"a":"x","n":1,"b":true,"o":{"k":"v"},"z":null}""", null);
        Assert.Equal("", IndexedPayload.SearchableText(null, visible));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":"x","n":1,"b":true}"""), IndexedPayload.Filter(null, visible, undeclaredScalars: true)));
    }
}
