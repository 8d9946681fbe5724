using System.Text;
using System.Text.Json;

namespace Vectros.Grains.Indexing.Extraction;

/// <summary>
/// JSON flattened to one line per value, <c>path.to.key: value</c>: keys give a value its meaning in search
/// ("status: shipped"), and lines keep the chunker's boundaries between values. Nulls are left out; array items
/// keep their parent's path.
/// </summary>
internal sealed class JsonFormat : TextFormat
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 256,
    };

    public override string Name => "JSON";

    protected override string FromText(string text)
    {
        using var document = JsonDocument.Parse(text, Options);
        var output = new StringBuilder();
        Append(document.RootElement, string.Empty, output);
        return output.ToString();
    }

    private static void Append(JsonElement element, string path, StringBuilder output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Append(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", output);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Append(item, path, output);
                }

                break;
            case JsonValueKind.String:
                Line(path, element.GetString()!, output);
                break;
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                Line(path, element.GetRawText(), output);
                break;
        }
    }

    private static void Line(string path, string value, StringBuilder output)
    {
        if (path.Length > 0)
        {
            output.Append(path).Append(": ");
        }

        output.Append(value).Append('\n');
    }
}
