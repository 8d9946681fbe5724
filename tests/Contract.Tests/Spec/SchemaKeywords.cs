namespace Vectros.Contract.Tests.Spec;

/// <summary>
/// The schema keywords <see cref="SchemaValidator"/> knows. A keyword in neither list makes it throw, so a spec
/// release that starts using, say, <c>not</c> or <c>uniqueItems</c> fails loudly instead of being waved through.
/// </summary>
public static class SchemaKeywords
{
    /// <summary>
    /// Keywords that are checked. The spec (0.31.0) uses <c>$ref type nullable enum format minimum maximum items
    /// properties required additionalProperties oneOf</c>; <c>minLength maxLength pattern minItems maxItems
    /// anyOf allOf</c> do not occur in it today but are cheap and common enough in OpenAPI 3.0 to support ahead.
    /// </summary>
    public static readonly IReadOnlySet<string> Validated = new HashSet<string>(StringComparer.Ordinal)
    {
        "$ref", "type", "nullable", "enum", "format",
        "minimum", "maximum", "minLength", "maxLength", "pattern",
        "items", "minItems", "maxItems",
        "properties", "required", "additionalProperties",
        "oneOf", "anyOf", "allOf",
    };

    /// <summary>
    /// Keywords that never reject an instance. <c>discriminator</c> is only used to explain a failed
    /// <c>oneOf</c>: the spec's discriminators carry no mapping and their values (<c>content_delta</c>, <c>done</c>)
    /// are not schema names, so OpenAPI's implicit name mapping would be wrong; <c>oneOf</c> plus each branch's
    /// <c>type</c> enum already decides. <c>readOnly</c>/<c>writeOnly</c> only matter for request bodies.
    /// Vendor extensions (<c>x-*</c>) are ignored as well.
    /// </summary>
    public static readonly IReadOnlySet<string> Ignored = new HashSet<string>(StringComparer.Ordinal)
    {
        "description", "example", "default", "title", "discriminator",
        "readOnly", "writeOnly", "deprecated", "externalDocs", "xml",
    };

    /// <summary>True when <see cref="SchemaValidator"/> accepts a schema containing this keyword.</summary>
    public static bool IsKnown(string keyword) =>
        Validated.Contains(keyword) || Ignored.Contains(keyword) || keyword.StartsWith("x-", StringComparison.Ordinal);
}
