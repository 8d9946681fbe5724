using Orleans;
using Orleans.Runtime;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Folders;
using Vectros.Grains.Abstractions.Identity;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.Grains.Teardown;

/// <summary>
/// Drops the activations of grains keyed inside a context (<c>tenant#context#…</c>) on every silo of the cluster,
/// through Orleans' management grain: records, documents, schemas, folders, entities, roles and profiles cache their rows, and once a context's rows are
/// deleted no silo may go on serving them from memory. A call that arrives afterwards activates the grain afresh,
/// which then finds nothing.
/// </summary>
public sealed class ContextActivations(IGrainFactory grains)
{
    // A reference to any key names the grain type; the key itself is never activated.
    private readonly GrainType[] _cachingTypes =
    [
        grains.GetGrain<IRecordGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<ISchemaGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<IFolderGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<IEntityGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<IDocumentGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<IAccessRoleGrain>("type#probe#x").GetGrainId().Type,
        grains.GetGrain<IAccessProfileGrain>("type#probe#x").GetGrainId().Type,
    ];

    /// <summary>Deactivates every activation of a context-scoped grain whose key starts with <paramref name="keyPrefix"/>; returns how many.</summary>
    public async Task<int> DeactivateAsync(string keyPrefix, CancellationToken cancellationToken)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var count = 0;
        foreach (var type in _cachingTypes)
        {
            var active = await management.GetActiveGrains(type, cancellationToken);
            foreach (var id in active.Where(id => id.Key.ToString().StartsWith(keyPrefix, StringComparison.Ordinal)))
            {
                await management.DeactivateGrain(id, cancellationToken);
                count++;
            }
        }

        return count;
    }
}
