using System.Text.Json.Nodes;

namespace Vectros.Contract.Tests.Spec;

/// <summary>
/// A schema in the spec that contradicts the spec's own text and examples, and the schema used instead; or, in one
/// place, a schema whose meaning 0.40 changed where the two generations cannot coexist (DESIGN §5a: 0.40 wins).
/// It applies only while the node at <paramref name="Pointer"/> still has type <paramref name="WrongType"/>, so a
/// corrected spec release turns it into a no-op (and SpecValidatorTests then asks for it to be deleted).
/// </summary>
/// <param name="Pointer">Local reference to the wrong schema.</param>
/// <param name="WrongType">The <c>type</c> the spec gives it.</param>
/// <param name="Replacement">Builds the schema that matches the spec's description and examples.</param>
/// <param name="Reason">Why, for anyone reading a validation failure or this list.</param>
public sealed record SpecErratum(string Pointer, string WrongType, Func<JsonObject> Replacement, string Reason)
{
    /// <summary>Every erratum; keep it short and cite the spec's own words.</summary>
    public static IReadOnlyList<SpecErratum> All { get; } =
    [
        new(
            "#/components/schemas/ScopeClause/properties/data_scope/additionalProperties",
            "object",
            () => new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject { ["type"] = "string", ["nullable"] = true },
            },
            "data_scope maps an attribute to a list of allowed values: its description says "
            + "{\"orgId\": [\"orgX\", null]} and its examples are {orgId: [org_engineering]}, but its "
            + "additionalProperties says type: object, which no such list satisfies."),
        new(
            "#/components/schemas/FieldDef/properties/enumValues/items",
            "object",
            () => [],
            "FieldDef.enumValues is \"the set of allowed values, for an enum-type field\": the values a payload "
            + "field may take, i.e. strings (or numbers, booleans); typing each item as an object admits no such value."),
        new(
            "#/components/schemas/ChangedField/properties/sourceVal",
            "object",
            () => new JsonObject(),
            "ChangedField.sourceVal is 'Field value before the change (type depends on the field)', yet typed object: "
            + "a changed string, number or boolean field could never be reported."),
        new(
            "#/components/schemas/ChangedField/properties/targetVal",
            "object",
            () => new JsonObject(),
            "ChangedField.targetVal is 'Field value after the change (type depends on the field)', yet typed object: "
            + "a changed string, number or boolean field could never be reported."),
        new(
            "#/components/schemas/DocumentResponse/properties/status",
            "string",
            () => new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray("ACTIVE", "ARCHIVED"),
            },
            "Not an erratum but the one change the two API generations cannot share: 0.40 made a document's status its "
            + "lifecycle (ACTIVE, ARCHIVED) and moved the processing states of this enum to indexStatus (API-DELTA-0.40 §3, "
            + "SDK CL 0.32). DESIGN §5a decides that 0.40 wins here; every other 0.31 member is still checked as the spec has it."),
    ];

    /// <summary>Replaces the wrong schema in <paramref name="document"/>; false when it is absent or already fixed.</summary>
    internal bool TryApply(JsonObject document)
    {
        var slash = Pointer.LastIndexOf('/');
        if (JsonPointer.Resolve(document, Pointer[..slash]) is not JsonObject parent)
        {
            return false;
        }

        var key = Pointer[(slash + 1)..];
        if (parent[key] is not JsonObject wrong || wrong["type"]?.GetValue<string>() != WrongType)
        {
            return false;
        }

        var replacement = Replacement();
        // Keep the spec's prose so that failure messages and readers still see it.
        if (wrong["description"] is { } description)
        {
            replacement["description"] = description.DeepClone();
        }

        parent[key] = replacement;
        return true;
    }
}
