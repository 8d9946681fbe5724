using Orleans;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Records;

/// <summary>Record list and lookup queries inside one context; a stateless worker keyed <c>tenant#context</c>.</summary>
[Alias("vectros.IRecordQueryGrain")]
public interface IRecordQueryGrain : IGrainWithStringKey
{
    /// <summary><c>GET /v1/records</c>: only types the caller may read are returned.</summary>
    Task<RecordPage> ListAsync(CallerContext caller, RecordListQuery query, CancellationToken cancellationToken = default);

    /// <summary><c>GET|POST /v1/records/lookup</c>.</summary>
    Task<RecordPage> LookupAsync(CallerContext caller, RecordLookupQuery query, CancellationToken cancellationToken = default);
}
