using System.Net.Http.Headers;

namespace Vectros.Grains.Indexing.Extraction;

/// <summary>
/// Which reader a file gets: by its MIME type, or by its name's extension when the type says nothing
/// (<c>application/octet-stream</c>, as browsers and <c>curl -T</c> send for unknown files).
/// </summary>
internal static class FileFormats
{
    private static readonly IFormatExtractor Plain = new PlainTextFormat();
    private static readonly IFormatExtractor Markdown = new MarkdownFormat();
    private static readonly IFormatExtractor Html = new HtmlFormat();
    private static readonly IFormatExtractor Json = new JsonFormat();
    private static readonly IFormatExtractor Csv = new CsvFormat();
    private static readonly IFormatExtractor Tsv = new CsvFormat('\t');
    private static readonly IFormatExtractor Docx = new DocxFormat();
    private static readonly IFormatExtractor Pdf = new PdfFormat();

    private static readonly Dictionary<string, IFormatExtractor> ByMediaType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text/plain"] = Plain,
        ["text/markdown"] = Markdown,
        ["text/x-markdown"] = Markdown,
        ["text/html"] = Html,
        ["application/xhtml+xml"] = Html,
        ["application/json"] = Json,
        ["text/json"] = Json,
        ["text/csv"] = Csv,
        ["application/csv"] = Csv,
        ["text/tab-separated-values"] = Tsv,
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = Docx,
        ["application/pdf"] = Pdf,
    };

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = "text/plain",
        [".text"] = "text/plain",
        [".log"] = "text/plain",
        [".md"] = "text/markdown",
        [".markdown"] = "text/markdown",
        [".htm"] = "text/html",
        [".html"] = "text/html",
        [".xhtml"] = "application/xhtml+xml",
        [".json"] = "application/json",
        [".csv"] = "text/csv",
        [".tsv"] = "text/tab-separated-values",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".pdf"] = "application/pdf",
    };

    private static readonly HashSet<string> Generic = new(StringComparer.OrdinalIgnoreCase)
    {
        "", "application/octet-stream", "binary/octet-stream", "application/binary", "application/unknown", "application/x-unknown",
    };

    /// <summary>The reader and the effective content type, or null when Vectros cannot read the file.</summary>
    public static (IFormatExtractor Format, ContentType Type)? Resolve(string? fileType, string? fileName)
    {
        var type = Parse(fileType);
        if (Generic.Contains(type.MediaType) && Extension(fileName) is { } extension && ByExtension.TryGetValue(extension, out var byName))
        {
            type = type with { MediaType = byName };
        }

        return For(type.MediaType) is { } format ? (format, type) : null;
    }

    /// <summary>How an unsupported file is named in its failure: the type, and the extension when the type is generic.</summary>
    public static string Describe(string? fileType, string? fileName)
    {
        var type = Parse(fileType).MediaType;
        var extension = Extension(fileName);
        return (type.Length, Generic.Contains(type) && extension is not null) switch
        {
            (0, true) => $"({extension} file)",
            (0, false) => "(none)",
            (_, true) => $"{type} ({extension})",
            _ => type,
        };
    }

    private static IFormatExtractor? For(string mediaType)
    {
        if (ByMediaType.TryGetValue(mediaType, out var format))
        {
            return format;
        }

        // application/ld+json, application/vnd.api+json, …: JSON by RFC 6839's structured suffix.
        if (mediaType.StartsWith("application/", StringComparison.Ordinal) && mediaType.EndsWith("+json", StringComparison.Ordinal))
        {
            return Json;
        }

        // Other text types (logs, source code, text/xml) are still text; RTF is markup that would index as noise.
        return mediaType.StartsWith("text/", StringComparison.Ordinal) && mediaType != "text/rtf" ? Plain : null;
    }

    private static ContentType Parse(string? fileType)
    {
        if (MediaTypeHeaderValue.TryParse(fileType, out var parsed) && parsed.MediaType is { } mediaType)
        {
            return new ContentType(mediaType.ToLowerInvariant(), string.IsNullOrWhiteSpace(parsed.CharSet) ? null : parsed.CharSet.Trim('"'));
        }

        var bare = (fileType ?? string.Empty).Split(';', 2)[0].Trim().ToLowerInvariant();
        return new ContentType(bare, null);
    }

    private static string? Extension(string? fileName)
    {
        var extension = Path.GetExtension(fileName);
        return string.IsNullOrEmpty(extension) ? null : extension.ToLowerInvariant();
    }
}
