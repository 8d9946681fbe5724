namespace Vectros.Grains.Indexing;

/// <summary>
/// Extracts indexable text from an uploaded file's bytes, chosen by MIME type (and the file name's extension
/// when the type is generic, e.g. <c>application/octet-stream</c>). Implementations never throw for content they
/// do not understand: they answer <see cref="ExtractedText.Unsupported"/> or <see cref="ExtractedText.Failed"/>.
/// </summary>
public interface ITextExtractor
{
    Task<ExtractedText> ExtractAsync(ReadOnlyMemory<byte> content, string fileType, string? fileName, CancellationToken cancellationToken);
}

/// <summary>The outcome of one extraction: text (possibly empty: nothing indexable), or why there is none.</summary>
public sealed record ExtractedText(string? Text, string? FailureCode, string? FailureMessage)
{
    public static ExtractedText Of(string text) => new(text, null, null);

    /// <summary>The type is not one Vectros can read; the message names it (indexFailure SOURCE_UNAVAILABLE).</summary>
    public static ExtractedText Unsupported(string fileType) =>
        new(null, "SOURCE_UNAVAILABLE", $"Unsupported file type '{fileType}': text can be extracted from plain text, Markdown, HTML, JSON, CSV, DOCX and PDF.");

    /// <summary>The bytes could not be parsed as their declared type (e.g. a corrupt PDF).</summary>
    public static ExtractedText Failed(string message) => new(null, "TEXT_INDEX_FAILED", message);
}
