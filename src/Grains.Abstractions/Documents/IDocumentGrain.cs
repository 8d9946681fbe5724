using Orleans;

namespace Vectros.Grains.Abstractions.Documents;

/// <summary>
/// One document, keyed <c>tenant#context#documentId</c>: owns the document's lifecycle (create, update, archive,
/// delete, upload) and caches its row for reads.
/// </summary>
[Alias("vectros.IDocumentGrain")]
public interface IDocumentGrain : IGrainWithStringKey
{
    /// <summary>
    /// The indexing pipeline changed this document's processing state (indexStatus, extracted text) in the
    /// database: drop the cached row so the next read sees it.
    /// </summary>
    Task InvalidateAsync();
}
