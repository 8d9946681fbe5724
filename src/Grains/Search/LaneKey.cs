using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Search;

/// <summary>The search grains are keyed <c>tenant#context</c>: a call for another caller's context is refused like a missing item.</summary>
internal static class LaneKey
{
    public static (string TenantId, string ContextId) Check(Grain grain, CallerContext caller) =>
        string.Equals(grain.GetPrimaryKeyString(), caller.ContextKey, StringComparison.Ordinal)
            ? (caller.TenantId, caller.ContextId)
            : throw new NotFoundException("Not found.");
}
