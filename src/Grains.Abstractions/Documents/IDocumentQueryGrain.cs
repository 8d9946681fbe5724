using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Records;

namespace Vectros.Grains.Abstractions.Documents;

/// <summary>Document list and lookup queries inside one context; a stateless worker keyed <c>tenant#context</c>.</summary>
[Alias("vectros.IDocumentQueryGrain")]
public interface IDocumentQueryGrain : IGrainWithStringKey
{
    /// <summary><c>GET /v1/documents</c>, oldest first.</summary>
    Task<DocumentPage> ListAsync(CallerContext caller, DocumentListQuery query);

    /// <summary>
    /// <c>GET|POST /v1/documents/lookup</c>. The request is the record lookup's (spec DocumentLookupRequest is
    /// RecordLookupRequest without includePayload); document lookups are single-field, so <c>values</c> and the
    /// <c>sortFrom</c>/<c>sortTo</c> window do not apply. <c>field</c> is a lookup field of the type's schema or
    /// <c>externalId</c>.
    /// </summary>
    Task<DocumentPage> LookupAsync(CallerContext caller, RecordLookupQuery query);
}
