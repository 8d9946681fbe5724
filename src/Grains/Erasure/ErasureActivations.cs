using Orleans;
using Orleans.Runtime;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Folders;
using Vectros.Grains.Abstractions.Identity;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Users;

namespace Vectros.Grains.Erasure;

/// <summary>
/// Drops, on every silo, the activations of the grains whose rows an erasure deleted (records, documents, folders,
/// the user or entity): they cache their rows and would otherwise go on serving erased data from memory. A later call
/// activates the grain afresh, which finds nothing. The same approach as a context teardown
/// (<see cref="Teardown.ContextActivations"/>), narrowed to exact keys.
/// </summary>
internal sealed class ErasureActivations(IGrainFactory grains)
{
    private readonly GrainType[] _cachingTypes =
    [
        grains.GetGrain<IRecordGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<IDocumentGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<IFolderGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<IEntityGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<IUserGrain>("type#probe").GetGrainId().Type,
    ];

    /// <summary>The grain keys of a plan's rows: <c>tenant#context#id</c>, entities <c>tenant#home#id</c>, users <c>tenant#id</c>.</summary>
    public static HashSet<string> KeysOf(string tenantId, ErasurePlan plan)
    {
        var keys = plan.Contexts
            .SelectMany(c => c.Records.Concat(c.Documents).Concat(c.Folders).Select(id => $"{tenantId}#{c.ContextId}#{id}"))
            .ToHashSet(StringComparer.Ordinal);
        if (plan.Identity is { } identity)
        {
            keys.Add(identity.Kind == ErasureSubject.UserIdentity
                ? UserRules.Key(tenantId, identity.Id)
                : EntityRules.Key(tenantId, identity.Home, identity.Id));
        }

        return keys;
    }

    public async Task<int> DeactivateAsync(IReadOnlySet<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        var management = grains.GetGrain<IManagementGrain>(0);
        var count = 0;
        foreach (var type in _cachingTypes)
        {
            var active = await management.GetActiveGrains(type, cancellationToken);
            foreach (var id in active.Where(id => keys.Contains(id.Key.ToString()!)))
            {
                await management.DeactivateGrain(id, cancellationToken);
                count++;
            }
        }

        return count;
    }
}
