using System.Buffers;
using System.Text.Json;

namespace Vectros.Grains.Exports;

/// <summary>
/// Writes the payload one JSON object per line (NDJSON): <c>{"type": …, …, "&lt;type&gt;": {the read API's shape}}</c>.
/// Each line is built in a reused buffer and written straight to the blob stream, so memory holds one line at a time;
/// the counts of the manifest are kept as lines go.
/// </summary>
internal sealed class NdjsonExportWriter(Stream output, IExportLineFormatter formatter)
{
    private static readonly byte[] _newline = "\n"u8.ToArray();

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    public long SizeBytes { get; private set; }

    public long Records { get; private set; }

    public long Documents { get; private set; }

    public long Folders { get; private set; }

    public long Identities { get; private set; }

    /// <summary>
    /// One line: <paramref name="type"/>, the extra members in order, then the shaped view under <paramref name="member"/>
    /// (omitted when <paramref name="view"/> is null).
    /// </summary>
    public async Task WriteAsync(string type, string? member, object? view, IEnumerable<(string Name, object? Value)> extras, CancellationToken ct)
    {
        _buffer.ResetWrittenCount();
        await using (var json = new Utf8JsonWriter(_buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            foreach (var (name, value) in extras)
            {
                if (value is null)
                {
                    continue;
                }

                json.WritePropertyName(name);
                JsonSerializer.Serialize(json, value, value.GetType(), formatter.Options);
            }

            if (member is not null && view is not null)
            {
                var shaped = formatter.Shape(view);
                json.WritePropertyName(member);
                JsonSerializer.Serialize(json, shaped, shaped.GetType(), formatter.Options);
            }

            json.WriteEndObject();
        }

        await output.WriteAsync(_buffer.WrittenMemory, ct);
        await output.WriteAsync(_newline, ct);
        SizeBytes += _buffer.WrittenCount + 1;
        switch (type)
        {
            case ExportLineTypes.Record:
                Records++;
                break;
            case ExportLineTypes.Document:
                Documents++;
                break;
            case ExportLineTypes.Folder:
                Folders++;
                break;
            case ExportLineTypes.User or ExportLineTypes.Entity:
                Identities++;
                break;
        }
    }
}

/// <summary>The <c>type</c> of each payload line (formatVersion 1.0).</summary>
public static class ExportLineTypes
{
    public const string FormatVersion = "1.0";
    public const string Header = "export";
    public const string Schema = "schema";
    public const string Folder = "folder";
    public const string Record = "record";
    public const string Document = "document";
    public const string User = "user";
    public const string Entity = "entity";
    public const string Version = "version";
}
