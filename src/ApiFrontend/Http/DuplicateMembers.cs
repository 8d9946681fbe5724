using System.Text.Json;

namespace Vectros.ApiFrontend.Http;

/// <summary>
/// Finds the first object member that appears twice anywhere in a JSON text. The serializer's own duplicate check does
/// not cover every target (a <c>JsonObject</c> accepts the text and throws only when first touched, deep inside a
/// handler), so the one body reader runs this first and refuses the body with the member's path.
/// </summary>
internal static class DuplicateMembers
{
    /// <returns>The JSON path of the second occurrence (<c>$.payload.topic</c>), or null when there is none or the text
    /// is malformed (the deserializer then reports the malformation).</returns>
    public static string? Find(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        var frames = new Stack<Frame>();
        string? pendingName = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        var segment = Segment(frames, pendingName);
                        frames.Push(new Frame(segment, reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null));
                        pendingName = null;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.Pop();
                        if (frames.TryPeek(out var parent) && parent.Names is null)
                        {
                            parent.Index++;
                        }

                        break;
                    case JsonTokenType.PropertyName:
                        pendingName = reader.GetString()!;
                        if (!frames.Peek().Names!.Add(pendingName))
                        {
                            return Path(frames) + Member(pendingName);
                        }

                        break;
                    default:
                        pendingName = null;
                        if (frames.TryPeek(out var array) && array.Names is null)
                        {
                            array.Index++;
                        }

                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    private static string Segment(Stack<Frame> frames, string? name) =>
        frames.Count == 0 ? "$" : name is not null ? Member(name) : $"[{frames.Peek().Index}]";

    private static string Path(Stack<Frame> frames) => string.Concat(frames.Reverse().Select(f => f.Segment));

    // The serializer's own path syntax, so every 400 names a field the same way.
    private static string Member(string name) =>
        name.AsSpan().IndexOfAny(".[]' ") < 0 && name.Length > 0 ? "." + name : $"['{name}']";

    private sealed class Frame(string segment, HashSet<string>? names)
    {
        public string Segment { get; } = segment;

        public HashSet<string>? Names { get; } = names;

        public int Index { get; set; }
    }
}
