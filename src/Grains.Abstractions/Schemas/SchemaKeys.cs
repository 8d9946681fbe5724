namespace Vectros.Grains.Abstractions.Schemas;

/// <summary>
/// Names of schema grains inside a context (the part after <c>tenant#context#</c>). A base schema is named by its
/// type name, so every caller that knows a type finds its base in one call; a <c>basedOn</c> variant is
/// <c>typeName~schemaId</c>. <c>~</c> cannot occur in a type name (<see cref="SchemaTypeNames"/>), so the two never
/// collide.
/// </summary>
public static class SchemaKeys
{
    public const char VariantSeparator = '~';

    public static string Variant(string typeName, Guid schemaId) => $"{typeName}{VariantSeparator}{schemaId:D}";

    /// <summary>Splits a grain name into its type name and, for a variant, the schema id; false when malformed.</summary>
    public static bool TryParse(string name, out string typeName, out Guid? variantId)
    {
        var tilde = name.IndexOf(VariantSeparator, StringComparison.Ordinal);
        variantId = null;
        if (tilde < 0)
        {
            typeName = name;
            return true;
        }

        typeName = name[..tilde];
        if (!Guid.TryParseExact(name[(tilde + 1)..], "D", out var id))
        {
            return false;
        }

        variantId = id;
        return true;
    }
}
