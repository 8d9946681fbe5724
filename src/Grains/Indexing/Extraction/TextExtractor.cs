using Microsoft.Extensions.Logging;

namespace Vectros.Grains.Indexing.Extraction;

/// <summary>
/// The <see cref="ITextExtractor"/>: picks the reader for the file's type (<see cref="FileFormats"/>), runs it on the
/// thread pool, and turns whatever a parser throws on bad bytes into <see cref="ExtractedText.Failed"/>, so a corrupt
/// upload ends FAILED instead of poisoning the indexing queue. Supported: plain text, Markdown, HTML, JSON, CSV/TSV,
/// DOCX and PDF.
/// </summary>
public sealed partial class TextExtractor(ILogger<TextExtractor> logger) : ITextExtractor
{
    public async Task<ExtractedText> ExtractAsync(ReadOnlyMemory<byte> content, string fileType, string? fileName, CancellationToken cancellationToken)
    {
        if (FileFormats.Resolve(fileType, fileName) is not var (format, type))
        {
            return ExtractedText.Unsupported(FileFormats.Describe(fileType, fileName));
        }

        // Parsing a large PDF or DOCX is seconds of CPU: keep it off the caller's thread (a grain or a request).
        var extracted = await Task.Run(() => Run(format, content, type), cancellationToken);
        return extracted.Text is null ? extracted : ExtractedText.Of(ExtractedTextCleanup.Clean(extracted.Text));
    }

    private ExtractedText Run(IFormatExtractor format, ReadOnlyMemory<byte> content, ContentType type)
    {
        try
        {
            return format.Extract(content, type);
        }
#pragma warning disable CA1031 // The bytes are untrusted and each parser fails in its own ways; all of them mean "cannot read this file".
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogUnreadable(logger, format.Name, type.MediaType, e.GetType().Name);
            return ExtractedText.Failed($"The {format.Name} file could not be read: {e.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not extract text from a {Format} file ({MediaType}): {Error}")]
    private static partial void LogUnreadable(ILogger logger, string format, string mediaType, string error);
}
