using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vectros.Contract.Tests.Spec;

/// <summary>
/// Converts a YAML representation tree into System.Text.Json nodes, resolving plain scalars with the
/// YAML 1.2 core schema. Quoted, literal and folded scalars always stay strings, so
/// <c>version: "0.31.0"</c> stays a string while <c>minimum: 1</c> and <c>nullable: true</c> become a
/// number and a boolean. YAML 1.1 timestamps are deliberately not recognised:
/// <c>example: 2024-01-15T09:30:00Z</c> is a string, as the spec's authors meant.
/// </summary>
public static partial class YamlToJson
{
    private const string StrTag = "tag:yaml.org,2002:str";

    /// <summary>Parses YAML text (its first document) into a JSON node.</summary>
    public static JsonNode? Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    /// <summary>Converts one YAML node (and everything under it).</summary>
    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ConvertMapping(mapping),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw new NotSupportedException($"Unsupported YAML node {node.NodeType} at line {node.Start.Line}."),
    };

    private static JsonObject ConvertMapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            // Keys are always property names in JSON, whatever they would resolve to as values ("200": ...).
            var key = keyNode is YamlScalarNode { Value: { } text }
                ? text
                : throw new NotSupportedException($"Non-scalar mapping key at line {keyNode.Start.Line}.");
            if (result.ContainsKey(key))
            {
                throw new InvalidDataException($"Duplicate key '{key}' at line {keyNode.Start.Line}.");
            }

            result[key] = Convert(valueNode);
        }

        return result;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        var explicitString = !scalar.Tag.IsEmpty && (scalar.Tag.IsNonSpecific || string.Equals(scalar.Tag.Value, StrTag, StringComparison.Ordinal));
        if (scalar.Style != ScalarStyle.Plain || explicitString)
        {
            return JsonValue.Create(value);
        }

        return ResolvePlain(value);
    }

    /// <summary>The YAML 1.2 core schema's resolution of an untagged plain scalar.</summary>
    private static JsonNode? ResolvePlain(string value)
    {
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (DecimalInteger().IsMatch(value))
        {
            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var asLong))
            {
                return JsonValue.Create(asLong);
            }

            if (decimal.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
            {
                return JsonValue.Create(big);
            }
        }

        if (value.StartsWith("0x", StringComparison.Ordinal) && HexInteger().IsMatch(value))
        {
            return JsonValue.Create(System.Convert.ToInt64(value[2..], 16));
        }

        if (value.StartsWith("0o", StringComparison.Ordinal) && OctalInteger().IsMatch(value))
        {
            return JsonValue.Create(System.Convert.ToInt64(value[2..], 8));
        }

        if (Float().IsMatch(value))
        {
            if (decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var asDecimal))
            {
                return JsonValue.Create(asDecimal);
            }

            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var asDouble) && double.IsFinite(asDouble))
            {
                return JsonValue.Create(asDouble);
            }
        }

        // .inf/.nan and anything else have no JSON number form; keeping the text is more useful than failing the load.
        return JsonValue.Create(value);
    }

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalInteger();

    [GeneratedRegex("^0x[0-9a-fA-F]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HexInteger();

    [GeneratedRegex("^0o[0-7]+$", RegexOptions.CultureInvariant)]
    private static partial Regex OctalInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Float();
}
