using Orleans;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Erasure;

/// <summary>Submits and reads a tenant's end-subject erasure requests; a stateless worker keyed by tenant id.</summary>
[Alias("vectros.IErasureGrain")]
public interface IErasureGrain : IGrainWithStringKey
{
    /// <summary>Validates (subject, contexts) and queues the request; nothing is written when it is refused.</summary>
    Task<ErasureRequestView> SubmitAsync(CallerContext caller, ErasureSubmission submission);

    /// <summary>The request, or null when the tenant has none with this id.</summary>
    Task<ErasureRequestView?> GetAsync(CallerContext caller, string requestId);
}
