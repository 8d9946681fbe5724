using Orleans;

namespace Vectros.Grains.Abstractions.Logs;

/// <summary>Reads a tenant's admin log and access log; a stateless worker keyed by tenant id.</summary>
[Alias("vectros.IApiLogQueryGrain")]
public interface IApiLogQueryGrain : IGrainWithStringKey
{
    /// <summary>Calls in the window matching every filter, newest first.</summary>
    Task<ApiCallPage> QueryCallsAsync(ApiCallQuery query);

    /// <summary>A page of read-access rows, newest first.</summary>
    Task<ReadAccessPage> QueryReadsAsync(ReadAccessQuery query);
}
