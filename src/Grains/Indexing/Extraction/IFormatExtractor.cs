namespace Vectros.Grains.Indexing.Extraction;

/// <summary>
/// Reads one file format. Synchronous CPU work, called on the thread pool by <see cref="TextExtractor"/>, which also
/// turns an exception into <see cref="ExtractedText.Failed"/>: an implementation may simply let a parser throw.
/// </summary>
internal interface IFormatExtractor
{
    /// <summary>A short name for messages, e.g. <c>PDF</c>.</summary>
    string Name { get; }

    ExtractedText Extract(ReadOnlyMemory<byte> content, ContentType type);
}

/// <summary>A MIME type without parameters, lower-cased, and its <c>charset</c> parameter if any.</summary>
internal sealed record ContentType(string MediaType, string? Charset);
