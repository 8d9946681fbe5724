using Orleans;

namespace Vectros.Grains.Abstractions.AppContexts;

/// <summary>One app context, keyed <c>tenantId#contextId</c> (<see cref="AppContextKeys.Composite"/>).</summary>
[Alias("vectros.IAppContextGrain")]
public interface IAppContextGrain : IGrainWithStringKey
{
    /// <summary>Idempotent create; the reserved <c>vectros-admin</c> id is refused.</summary>
    Task<AppContextCreateResult> CreateAsync(CreateAppContextCommand command);

    /// <summary>The context in any status, or null when it never existed.</summary>
    Task<AppContextView?> GetAsync();

    /// <summary>Partial update of an active context; NotFoundException otherwise.</summary>
    Task<AppContextView> UpdateAsync(UpdateAppContextCommand command);

    /// <summary>Starts the asynchronous teardown (status becomes purging); idempotent while purging.</summary>
    Task<AppContextView> DeleteAsync();

    /// <summary>Called by the teardown worker once every row of the context is gone.</summary>
    Task MarkDeletedAsync();
}
