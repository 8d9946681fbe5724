namespace Vectros.Grains.Abstractions.Documents;

/// <summary>Limits and vocabularies of the documents surface the spec leaves to the implementation (stated in the README).</summary>
public static class DocumentLimits
{
    /// <summary>
    /// Largest inline text (<c>text</c> on POST, PUT, PATCH), in bytes of UTF-8: 5 MiB. Larger bodies belong in a file
    /// upload, whose bytes never pass through a JSON body.
    /// </summary>
    public const int MaxTextBytes = 5 * 1024 * 1024;

    /// <summary>
    /// Request-body cap of the JSON write routes of <c>/v1/documents</c>: room for <see cref="MaxTextBytes"/> of text
    /// even when a client escapes every non-ASCII character (<c>\u00e9</c> is six bytes for two), plus the payload.
    /// Above it the server answers 413 before parsing; below it an oversized <c>text</c> is a 400 naming it.
    /// </summary>
    public const long MaxJsonRequestBytes = 4L * MaxTextBytes;

    public const int MaxTitleLength = 1024;

    public const int MaxFileNameLength = 1024;

    /// <summary>A MIME type (RFC 6838 caps each of type and subtype at 127 characters).</summary>
    public const int MaxFileTypeLength = 255;

    public const int MaxExternalIdLength = 256;

    /// <summary>Lifecycle states (0.40 §3): ARCHIVED leaves search and RAG but stays readable by id, lookup and list.</summary>
    public static readonly IReadOnlyList<string> Statuses = ["ACTIVE", "ARCHIVED"];

    public static readonly IReadOnlyList<string> IndexModes = ["HYBRID", "SEMANTIC", "TEXT", "NONE"];

    /// <summary>Processing states in the spec's order (DocumentResponse.status L6958, 0.40 indexStatus).</summary>
    public static readonly IReadOnlyList<string> IndexStatuses =
        ["PENDING_UPLOAD", "UPLOADED", "EXTRACTING", "PENDING_INDEX", "INDEXED", "SKIPPED", "STORED", "FAILED"];
}
